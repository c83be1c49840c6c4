import type { Identity } from '@repopulse/core';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the proxy pipeline from the request's credentials before any route runs; absent for anonymous. */
    identity?: Identity;
  }
}
