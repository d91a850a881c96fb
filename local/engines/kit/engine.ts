/** What every local engine's `start(options)` resolves to. */
export interface Engine {
  /** Where clients reach it (`http://host:port`); in-process engines say `(in-process)`. */
  readonly url: string;
  /** Stops serving and lets go of its files; resolves once it has. */
  stop(): Promise<void>;
}
