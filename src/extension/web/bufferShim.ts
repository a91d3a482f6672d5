/**
 * dockerfile-ast checks for a UTF-8 byte-order mark with `Buffer.from(char, 'UTF-8')`, and web workers have no
 * `Buffer`. The browser builds inject this minimal stand-in (esbuild `inject`), which is all that call needs.
 */
export const Buffer = {
  from(text: string): Uint8Array {
    return new TextEncoder().encode(text);
  },
};
