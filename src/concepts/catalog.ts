/**
 * The concept catalog: the ideas behind a Dockerfile (virtualization, containers, images and layers, Docker's
 * architecture, security), each with a short article in English and Simplified Chinese and an SVG diagram.
 *
 * Pure TypeScript, no `vscode` and no Node imports: the extension host (Node and browser), the webview bundle,
 * the core and the CLI can all import it. Article and diagram texts are embedded in `./generated.ts`, which
 * `scripts/gen-concepts.mjs` builds from `src/concepts/articles/<id>.<lang>.md` and
 * `src/concepts/diagrams/<diagram>.svg` (+ `diagrams/labels.zh-cn.json`).
 *
 * Links inside article Markdown use two URL schemes the UI should turn into commands:
 *   `concept:<conceptId>` opens another article, `diagram:<diagramId>` opens the diagram panel.
 *
 * Diagram colours are CSS custom properties (see DIAGRAM_CSS_VARIABLES) with light fallbacks, so a webview can
 * map them to VS Code theme variables; each SVG has role="img", <title> and <desc>, no scripts, no remote URLs.
 */
import { ARTICLES, DIAGRAMS } from './generated';

export type Lang = 'en' | 'zh-cn';
export const LANGS: readonly Lang[] = ['en', 'zh-cn'];

export type ConceptGroup = 'virtualization' | 'containers' | 'images-layers' | 'architecture' | 'security';

export interface Localized {
  en: string;
  'zh-cn': string;
}

export type DiagramId =
  | 'virtualization'
  | 'vm-vs-container'
  | 'hypervisor-types'
  | 'shared-kernel'
  | 'namespaces-cgroups'
  | 'container-networking'
  | 'container-tradeoffs'
  | 'shared-layers'
  | 'union-fs-cow'
  | 'bootfs-rootfs'
  | 'image-container-registry'
  | 'engine-architecture'
  | 'docker-desktop-vm'
  | 'root-and-user-namespaces'
  | 'isolation-layers';

export interface Concept {
  id: string;
  group: ConceptGroup;
  title: Localized;
  summary: Localized;
  /** A DiagramId: `diagramSvg(concept.diagram, lang)`. */
  diagram: string;
  /** Ids of other concepts worth reading next. */
  related: string[];
  /** Search words (both languages) for filtering the tree. */
  keywords: string[];
}

export interface Group {
  id: ConceptGroup;
  title: Localized;
}

/** The sidebar's top-level nodes, in display order. */
export const GROUPS: readonly Group[] = [
  { id: 'virtualization', title: { en: 'Virtualization', 'zh-cn': '虚拟化' } },
  { id: 'containers', title: { en: 'Containers', 'zh-cn': '容器' } },
  { id: 'images-layers', title: { en: 'Images & layers', 'zh-cn': '镜像与分层' } },
  { id: 'architecture', title: { en: 'Docker architecture', 'zh-cn': 'Docker 架构' } },
  { id: 'security', title: { en: 'Security', 'zh-cn': '安全' } },
];

/** Every concept, grouped and ordered as the sidebar shows them. */
export const CONCEPTS: readonly Concept[] = [
  // ── Virtualization ────────────────────────────────────────────────────────────────────────────
  {
    id: 'virtualization',
    group: 'virtualization',
    title: { en: 'What virtualization is', 'zh-cn': '什么是虚拟化' },
    summary: {
      en: 'Software presents virtual hardware or a virtual operating system so one machine can be shared safely.',
      'zh-cn': '用软件呈现虚拟的硬件或虚拟的操作系统，让一台机器可以被安全地共享。',
    },
    diagram: 'virtualization',
    related: ['vm-vs-container', 'hypervisor-types'],
    keywords: ['virtualization', 'abstraction', 'consolidation', '虚拟化', '资源'],
  },
  {
    id: 'vm-vs-container',
    group: 'virtualization',
    title: { en: 'Virtual machines vs containers', 'zh-cn': '虚拟机与容器' },
    summary: {
      en: 'A VM virtualizes hardware and boots its own kernel; a container is isolated processes on the host kernel.',
      'zh-cn': '虚拟机虚拟化硬件并启动自己的内核；容器是在宿主机内核上运行的一组被隔离的进程。',
    },
    diagram: 'vm-vs-container',
    related: ['hypervisor-types', 'shared-kernel', 'container-tradeoffs'],
    keywords: ['vm', 'virtual machine', 'container', 'guest os', '虚拟机', '容器'],
  },
  {
    id: 'hypervisor-types',
    group: 'virtualization',
    title: { en: 'Hypervisors: type 1, type 2 and hybrid', 'zh-cn': 'Hypervisor：类型 1、类型 2 与混合' },
    summary: {
      en: 'Type 1 runs on the hardware, type 2 runs as an application on a host OS; containers often run inside VMs.',
      'zh-cn': '类型 1 直接运行在硬件上，类型 2 作为应用运行在宿主操作系统上；容器也常常运行在虚拟机里。',
    },
    diagram: 'hypervisor-types',
    related: ['vm-vs-container', 'docker-desktop-vm'],
    keywords: ['hypervisor', 'vmm', 'kvm', 'esxi', 'hyper-v', 'virtualbox', 'bare metal', 'hybrid', '裸金属', '混合'],
  },

  // ── Containers ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'shared-kernel',
    group: 'containers',
    title: { en: 'The kernel, and why containers share it', 'zh-cn': '内核，以及容器为何共享它' },
    summary: {
      en: 'Every container on a host makes system calls into the same Linux kernel; the image brings only user space.',
      'zh-cn': '同一主机上的所有容器都向同一个 Linux 内核发起系统调用；镜像只提供用户空间。',
    },
    diagram: 'shared-kernel',
    related: ['namespaces-cgroups', 'vm-vs-container', 'bootfs-rootfs'],
    keywords: ['kernel', 'syscall', 'user space', 'linux', '内核', '系统调用', '用户空间'],
  },
  {
    id: 'namespaces-cgroups',
    group: 'containers',
    title: { en: 'Namespaces and cgroups', 'zh-cn': '命名空间与 cgroups' },
    summary: {
      en: 'Namespaces decide what a process can see; cgroups decide how much it can use.',
      'zh-cn': '命名空间决定进程能看到什么；cgroups 决定进程能用多少资源。',
    },
    diagram: 'namespaces-cgroups',
    related: ['shared-kernel', 'root-and-user-namespaces', 'container-networking'],
    keywords: ['namespace', 'cgroup', 'cgroup v2', 'pid', 'mount', 'isolation', 'limits', '命名空间', '隔离', '资源限制'],
  },
  {
    id: 'container-networking',
    group: 'containers',
    title: { en: 'Container networking and ports', 'zh-cn': '容器网络与端口' },
    summary: {
      en: 'Each container gets its own network namespace; EXPOSE only documents a port, publishing (-p) opens it.',
      'zh-cn': '每个容器有自己的网络命名空间；EXPOSE 只是声明端口，发布（-p）才真正开放它。',
    },
    diagram: 'container-networking',
    related: ['namespaces-cgroups', 'engine-architecture'],
    keywords: ['network', 'bridge', 'port', 'expose', 'publish', 'veth', 'dns', '网络', '端口', '网桥'],
  },
  {
    id: 'container-tradeoffs',
    group: 'containers',
    title: { en: 'Containers: strengths and limits', 'zh-cn': '容器的优势与局限' },
    summary: {
      en: 'Fast start and high density, paid for with a shared kernel and weaker isolation than a VM.',
      'zh-cn': '启动快、密度高，代价是共享内核、隔离性弱于虚拟机。',
    },
    diagram: 'container-tradeoffs',
    related: ['vm-vs-container', 'container-isolation', 'root-and-user-namespaces'],
    keywords: ['startup', 'density', 'overhead', 'isolation', 'pros', 'cons', '启动', '密度', '优缺点'],
  },

  // ── Images & layers ───────────────────────────────────────────────────────────────────────────
  {
    id: 'images-and-layers',
    group: 'images-layers',
    title: { en: 'Images are stacks of layers', 'zh-cn': '镜像是层的堆叠' },
    summary: {
      en: 'An image is read-only layers plus a config; identical layers are stored once and shared by every image.',
      'zh-cn': '镜像由只读层和一份配置组成；相同的层只存一份，被所有镜像共享。',
    },
    diagram: 'shared-layers',
    related: ['union-fs-cow', 'image-container-registry', 'bootfs-rootfs'],
    keywords: ['image', 'layer', 'FROM', 'digest', 'oci', 'manifest', 'base image', '镜像', '层', '基础镜像'],
  },
  {
    id: 'union-fs-cow',
    group: 'images-layers',
    title: { en: 'Union mounts and copy-on-write', 'zh-cn': '联合挂载与写时复制' },
    summary: {
      en: 'A container sees its image layers merged under one writable layer; editing a file copies it up first.',
      'zh-cn': '容器看到的是合并后的镜像层加上一层可写层；修改文件时会先把它复制上来。',
    },
    diagram: 'union-fs-cow',
    related: ['images-and-layers', 'bootfs-rootfs', 'image-container-registry'],
    keywords: ['unionfs', 'overlayfs', 'overlay2', 'copy-on-write', 'cow', 'RUN', 'COPY', 'ADD', 'whiteout', '写时复制', '联合文件系统'],
  },
  {
    id: 'bootfs-rootfs',
    group: 'images-layers',
    title: { en: 'bootfs and rootfs', 'zh-cn': 'bootfs 与 rootfs' },
    summary: {
      en: 'The host boots the kernel (bootfs); an image supplies only the root filesystem (rootfs) a container sees.',
      'zh-cn': '宿主机负责引导内核（bootfs）；镜像只提供容器看到的根文件系统（rootfs）。',
    },
    diagram: 'bootfs-rootfs',
    related: ['shared-kernel', 'images-and-layers', 'union-fs-cow'],
    keywords: ['bootfs', 'rootfs', 'bootloader', 'root filesystem', 'scratch', '根文件系统', '引导'],
  },
  {
    id: 'image-container-registry',
    group: 'images-layers',
    title: { en: 'Image, container, registry', 'zh-cn': '镜像、容器与仓库' },
    summary: {
      en: 'An image is the template, a container a running instance of it, a registry where images are shared.',
      'zh-cn': '镜像是模板，容器是它运行起来的实例，镜像仓库是分享镜像的地方。',
    },
    diagram: 'image-container-registry',
    related: ['images-and-layers', 'engine-architecture', 'union-fs-cow'],
    keywords: ['image', 'container', 'registry', 'repository', 'tag', 'build', 'run', 'push', 'pull', '仓库', '标签'],
  },

  // ── Docker architecture ───────────────────────────────────────────────────────────────────────
  {
    id: 'engine-architecture',
    group: 'architecture',
    title: { en: 'Docker Engine: client, API, daemon, runtime', 'zh-cn': 'Docker Engine：客户端、API、守护进程与运行时' },
    summary: {
      en: 'The CLI calls dockerd\'s REST API; dockerd uses containerd, which starts containers with runc.',
      'zh-cn': 'CLI 调用 dockerd 的 REST API；dockerd 交给 containerd，containerd 用 runc 启动容器。',
    },
    diagram: 'engine-architecture',
    related: ['image-container-registry', 'docker-desktop-vm', 'namespaces-cgroups'],
    keywords: ['docker engine', 'dockerd', 'daemon', 'rest api', 'containerd', 'runc', 'buildkit', 'oci', '守护进程'],
  },
  {
    id: 'docker-desktop-vm',
    group: 'architecture',
    title: { en: 'Docker on Windows and macOS', 'zh-cn': 'Windows 与 macOS 上的 Docker' },
    summary: {
      en: 'Linux containers need a Linux kernel, so Docker Desktop runs one in a lightweight VM (WSL 2 on Windows).',
      'zh-cn': 'Linux 容器需要 Linux 内核，所以 Docker Desktop 在轻量虚拟机里运行一个（Windows 上用 WSL 2）。',
    },
    diagram: 'docker-desktop-vm',
    related: ['engine-architecture', 'hypervisor-types', 'shared-kernel'],
    keywords: ['docker desktop', 'windows', 'macos', 'wsl 2', 'wsl2', 'hyper-v', 'virtualization framework', 'vm'],
  },

  // ── Security ──────────────────────────────────────────────────────────────────────────────────
  {
    id: 'root-and-user-namespaces',
    group: 'security',
    title: { en: 'Root in a container is root on the host', 'zh-cn': '容器里的 root 就是宿主机的 root' },
    summary: {
      en: 'Without a user namespace, UID 0 inside is UID 0 outside; run as a non-root USER, or rootless.',
      'zh-cn': '没有用户命名空间时，容器内的 UID 0 就是宿主机的 UID 0；应使用非 root 的 USER 或 rootless 模式。',
    },
    diagram: 'root-and-user-namespaces',
    related: ['namespaces-cgroups', 'container-isolation', 'container-tradeoffs'],
    keywords: ['root', 'uid', 'USER', 'user namespace', 'userns-remap', 'rootless', 'privilege', '用户命名空间', '权限'],
  },
  {
    id: 'container-isolation',
    group: 'security',
    title: { en: 'How strong is container isolation?', 'zh-cn': '容器隔离有多强？' },
    summary: {
      en: 'Capabilities, seccomp and LSMs narrow what root can do; a VM-backed sandbox adds a kernel boundary.',
      'zh-cn': 'capabilities、seccomp 和 LSM 收窄 root 的权力；基于虚拟机的沙箱再加上一道内核边界。',
    },
    diagram: 'isolation-layers',
    related: ['root-and-user-namespaces', 'container-tradeoffs', 'vm-vs-container'],
    keywords: ['capabilities', 'seccomp', 'apparmor', 'selinux', 'privileged', 'gvisor', 'kata', 'sandbox', '沙箱', '隔离'],
  },
];

const byId = new Map(CONCEPTS.map((c) => [c.id, c]));

export function getConcept(id: string): Concept | undefined {
  return byId.get(id);
}

export function conceptsInGroup(group: ConceptGroup): Concept[] {
  return CONCEPTS.filter((c) => c.group === group);
}

/** Every diagram id used by a concept (each has an SVG under src/concepts/diagrams/). */
export const DIAGRAM_IDS: readonly DiagramId[] = [
  'virtualization',
  'vm-vs-container',
  'hypervisor-types',
  'shared-kernel',
  'namespaces-cgroups',
  'container-networking',
  'container-tradeoffs',
  'shared-layers',
  'union-fs-cow',
  'bootfs-rootfs',
  'image-container-registry',
  'engine-architecture',
  'docker-desktop-vm',
  'root-and-user-namespaces',
  'isolation-layers',
];

/** Human titles for the diagrams, e.g. for the diagram panel's picker. */
export const DIAGRAM_TITLES: Readonly<Record<DiagramId, Localized>> = {
  virtualization: { en: 'One machine, many virtual ones', 'zh-cn': '一台机器，多台虚拟机' },
  'vm-vs-container': { en: 'VM stack vs container stack', 'zh-cn': '虚拟机栈与容器栈' },
  'hypervisor-types': { en: 'Type 1, type 2 and hybrid', 'zh-cn': '类型 1、类型 2 与混合' },
  'shared-kernel': { en: 'Many containers, one kernel', 'zh-cn': '多个容器，一个内核' },
  'namespaces-cgroups': { en: 'Namespaces and cgroups', 'zh-cn': '命名空间与 cgroups' },
  'container-networking': { en: 'Bridge network and published ports', 'zh-cn': '网桥网络与发布端口' },
  'container-tradeoffs': { en: 'Containers vs VMs at a glance', 'zh-cn': '容器与虚拟机一览' },
  'shared-layers': { en: 'Images sharing layers', 'zh-cn': '共享层的镜像' },
  'union-fs-cow': { en: 'Union mount and copy-on-write', 'zh-cn': '联合挂载与写时复制' },
  'bootfs-rootfs': { en: 'bootfs and rootfs', 'zh-cn': 'bootfs 与 rootfs' },
  'image-container-registry': { en: 'Build, run, push, pull', 'zh-cn': '构建、运行、推送、拉取' },
  'engine-architecture': { en: 'Client → API → dockerd → containerd → runc', 'zh-cn': '客户端 → API → dockerd → containerd → runc' },
  'docker-desktop-vm': { en: 'Docker Desktop\'s Linux VM', 'zh-cn': 'Docker Desktop 的 Linux 虚拟机' },
  'root-and-user-namespaces': { en: 'Root and user namespaces', 'zh-cn': 'root 与用户命名空间' },
  'isolation-layers': { en: 'Layers of isolation', 'zh-cn': '隔离的层次' },
};

/**
 * The CSS custom properties the diagrams use, with the light fallback baked into each SVG and a suggested
 * VS Code theme variable for a webview to map them to (`--dfi-x: var(--vscode-...)`).
 */
export const DIAGRAM_CSS_VARIABLES: ReadonlyArray<{ name: string; fallback: string; vscode: string; use: string }> = [
  { name: '--dfi-bg', fallback: '#ffffff', vscode: '--vscode-editor-background', use: 'diagram background' },
  { name: '--dfi-fg', fallback: '#1f1f1f', vscode: '--vscode-editor-foreground', use: 'text and lines' },
  { name: '--dfi-muted', fallback: '#5f6368', vscode: '--vscode-descriptionForeground', use: 'secondary text' },
  { name: '--dfi-border', fallback: '#8a8a8a', vscode: '--vscode-panel-border', use: 'box outlines' },
  { name: '--dfi-hw-fill', fallback: '#e3e3e3', vscode: '--vscode-editorWidget-background', use: 'hardware' },
  { name: '--dfi-kernel-fill', fallback: '#d6e4f5', vscode: '--vscode-editor-selectionHighlightBackground', use: 'kernels, host OS' },
  { name: '--dfi-vm-fill', fallback: '#ece3f7', vscode: '--vscode-editor-wordHighlightBackground', use: 'VMs, hypervisors' },
  { name: '--dfi-container-fill', fallback: '#dff0e2', vscode: '--vscode-diffEditor-insertedTextBackground', use: 'containers, processes' },
  { name: '--dfi-layer-fill', fallback: '#fdf1d6', vscode: '--vscode-editor-findMatchHighlightBackground', use: 'image layers' },
  { name: '--dfi-writable-fill', fallback: '#fbe0dc', vscode: '--vscode-diffEditor-removedTextBackground', use: 'writable layer' },
  { name: '--dfi-accent', fallback: '#0066b8', vscode: '--vscode-textLink-foreground', use: 'arrows, highlights' },
  { name: '--dfi-danger', fallback: '#c42b1c', vscode: '--vscode-errorForeground', use: 'risk' },
  { name: '--dfi-ok', fallback: '#2e7d32', vscode: '--vscode-testing-iconPassed', use: 'safe' },
];

/** Normalises a VS Code locale ('zh-cn', 'zh-CN', 'zh-hans', 'en-us', …) to an article language. */
export function normalizeLang(locale: string | undefined): Lang {
  const l = (locale ?? 'en').toLowerCase();
  return l === 'zh-cn' || l.startsWith('zh-hans') || l === 'zh' || l === 'zh-sg' ? 'zh-cn' : 'en';
}

/** The article Markdown of a concept ('' if none). Accepts any locale string; unknown ones give English. */
export function articleFor(id: string, lang: Lang | string = 'en'): string {
  const a = ARTICLES[id];
  return a ? a[normalizeLang(lang)] : '';
}

/** The SVG text of a diagram, labels in the given language ('' if none). */
export function diagramSvg(id: string, lang: Lang | string = 'en'): string {
  const d = DIAGRAMS[id];
  return d ? d[normalizeLang(lang)] : '';
}

/** Dockerfile instruction keyword (any case) → concept id the hover links to. */
export const INSTRUCTION_CONCEPTS: Readonly<Record<string, string>> = {
  FROM: 'images-and-layers',
  RUN: 'union-fs-cow',
  COPY: 'union-fs-cow',
  ADD: 'union-fs-cow',
  WORKDIR: 'union-fs-cow',
  VOLUME: 'union-fs-cow',
  USER: 'root-and-user-namespaces',
  EXPOSE: 'container-networking',
  CMD: 'image-container-registry',
  ENTRYPOINT: 'image-container-registry',
  ENV: 'images-and-layers',
  LABEL: 'images-and-layers',
  HEALTHCHECK: 'images-and-layers',
  STOPSIGNAL: 'namespaces-cgroups',
};

/** Rule id (src/core/registry.ts) → concept id its diagnostic links to. */
export const RULE_CONCEPTS: Readonly<Record<string, string>> = {
  'root-user': 'root-and-user-namespaces',
  'missing-user': 'root-and-user-namespaces',
  'latest-tag': 'image-container-registry',
  'copy-from-unknown-stage': 'image-container-registry',
  'multiple-cmd': 'image-container-registry',
  'multiple-entrypoint': 'image-container-registry',
  'multiple-healthcheck': 'images-and-layers',
  'relative-workdir': 'union-fs-cow',
  // Cleaning up in a later RUN does not shrink the image: copy-on-write layers only add.
  'apt-lists-not-removed': 'union-fs-cow',
  'apk-add-no-cache': 'union-fs-cow',
  'pip-no-cache-dir': 'union-fs-cow',
  'rpm-cache-not-cleaned': 'union-fs-cow',
  'yarn-cache-not-cleaned': 'union-fs-cow',
  'copy-from-root': 'union-fs-cow',
  'package-index-update-alone': 'images-and-layers',
  'package-cache-mount': 'images-and-layers',
  'untrusted-registry': 'image-container-registry',
  'expose-ssh': 'container-networking',
  'expose-invalid': 'container-networking',
  'non-numeric-user': 'root-and-user-namespaces',
  'json-args-recommended': 'namespaces-cgroups',
  'platform-flag': 'hypervisor-types',
  'workdir-system-dir': 'bootfs-rootfs',
  'secret-in-arg-or-env': 'container-isolation',
};

export function conceptForInstruction(keyword: string): Concept | undefined {
  const id = INSTRUCTION_CONCEPTS[keyword.toUpperCase()];
  return id ? byId.get(id) : undefined;
}

export function conceptForRule(ruleId: string): Concept | undefined {
  const id = RULE_CONCEPTS[ruleId];
  return id ? byId.get(id) : undefined;
}
