/**
 * Polls `check` every `everyMs` until it is true.
 * @throws Error naming `what` when it is still false after `ms`.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  everyMs = 20,
): Promise<void> {
  const until = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
