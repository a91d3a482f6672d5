console.log("hello from the sample service");
