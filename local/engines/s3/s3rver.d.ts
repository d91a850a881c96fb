declare module '@20minutes/s3rver' {
  import type { Server } from 'node:http';
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
    serviceEndpoint?: string;
  }
  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<Server>;
    close(): Promise<void>;
    httpServer?: Server;
  }
}
declare module '@20minutes/s3rver/lib/models/account.js' {
  export const DUMMY_ACCOUNT: {
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  };
}
