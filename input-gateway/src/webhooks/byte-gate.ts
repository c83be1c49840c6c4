/**
 * Bounds the bytes of bodies being worked on at once (parsed, checked, published): a body waits until the
 * others leave room. One larger than the whole budget goes alone, so none waits forever.
 */
export interface ByteGate {
  /** Resolves with a release function once `bytes` fit. */
  enter(bytes: number): Promise<() => void>;
}

export function createByteGate(budgetBytes: number): ByteGate {
  let inUse = 0;
  let holders = 0;
  const waiting: Array<{ bytes: number; admit: () => void }> = [];

  function fits(bytes: number): boolean {
    return holders === 0 || inUse + bytes <= budgetBytes;
  }

  function admitWaiting(): void {
    while (waiting.length > 0 && fits(waiting[0]!.bytes)) waiting.shift()!.admit();
  }

  return {
    enter(bytes) {
      return new Promise((resolve) => {
        const admit = () => {
          inUse += bytes;
          holders += 1;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            inUse -= bytes;
            holders -= 1;
            admitWaiting();
          });
        };
        if (waiting.length === 0 && fits(bytes)) admit();
        else waiting.push({ bytes, admit });
      });
    },
  };
}
