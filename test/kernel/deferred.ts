/** A kernel answer promised now and settled later by whichever job asks the kernel. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(a: T): void;
  reject(e: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (a: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // reported by the test that awaits it
  return { promise, resolve, reject };
}
