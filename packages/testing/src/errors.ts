/** A mock was used wrongly: unknown operationId, undocumented status, a body that breaks the spec... */
export class MockError extends Error {
  override name = "MockError";
}

/** A reply body does not match the schema of its status. */
export class MockBodyError extends MockError {
  readonly operationId: string;
  readonly status: number;
  /** JSON pointer into the body of the first problem ("" for the body itself). */
  readonly pointer: string;

  constructor(message: string, details: { operationId: string; status: number; pointer: string }) {
    super(message);
    this.name = "MockBodyError";
    this.operationId = details.operationId;
    this.status = details.status;
    this.pointer = details.pointer;
  }
}
