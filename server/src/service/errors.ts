// A request the language service declines for a reason the user should read (a rename to a
// name that already exists, say). The server answers it as an LSP error carrying this
// message; any other exception is a bug and is only logged.
export class RequestRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestRefused';
  }
}
