/** One step of the run as the progress display sees it. */
export interface ProgressStep {
  readonly label: string;
  readonly estimateMs: number;
}

const fmtDuration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/**
 * What runs, how far the run is, and the time left. On a terminal: one line redrawn four times a
 * second. Otherwise (CI, a pipe): a plain log line when each step starts and ends.
 */
export class Progress {
  readonly #out: NodeJS.WriteStream;
  readonly #tty: boolean;
  readonly #totalMs: number;
  #doneMs = 0;
  #index = 0;
  #current: ProgressStep | undefined;
  #stepStart = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #t0 = performance.now();

  constructor(
    private readonly steps: readonly ProgressStep[],
    out: NodeJS.WriteStream = process.stderr,
  ) {
    this.#out = out;
    this.#tty = out.isTTY === true && process.env.CI === undefined;
    this.#totalMs = steps.reduce((sum, s) => sum + s.estimateMs, 0);
  }

  /** Estimated length of the whole run. */
  get estimateMs(): number {
    return this.#totalMs;
  }

  start(step: ProgressStep): void {
    this.#index += 1;
    this.#current = step;
    this.#stepStart = performance.now();
    if (this.#tty) {
      this.#timer ??= setInterval(() => this.#draw(), 250);
      this.#timer.unref();
      this.#draw();
    } else {
      this.#out.write(
        `[${this.#index}/${this.steps.length}] ${step.label} … (about ${fmtDuration(step.estimateMs)}, ${fmtDuration(this.#leftMs())} left)\n`,
      );
    }
  }

  /** Ends the current step with a one-line result. */
  done(summary: string): void {
    const step = this.#current;
    if (step === undefined) return;
    this.#doneMs += step.estimateMs;
    const took = performance.now() - this.#stepStart;
    this.#current = undefined;
    this.log(
      `[${this.#index}/${this.steps.length}] ${step.label}: ${summary} (${(took / 1000).toFixed(1)} s)`,
    );
  }

  /** Prints a line above the progress line (or plainly). */
  log(line: string): void {
    if (this.#tty) this.#out.write('\r\x1b[2K');
    this.#out.write(`${line}\n`);
    if (this.#tty && this.#current !== undefined) this.#draw();
  }

  finish(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#tty) this.#out.write('\r\x1b[2K');
  }

  #leftMs(): number {
    const inStep =
      this.#current === undefined
        ? 0
        : Math.min(performance.now() - this.#stepStart, this.#current.estimateMs);
    return this.#totalMs - this.#doneMs - inStep;
  }

  #draw(): void {
    const step = this.#current;
    if (step === undefined) return;
    const inStep = performance.now() - this.#stepStart;
    const fraction = Math.min(
      1,
      (this.#doneMs + Math.min(inStep, step.estimateMs)) / Math.max(1, this.#totalMs),
    );
    const width = 20;
    const filled = Math.round(fraction * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `[${this.#index}/${this.steps.length}] ${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${step.label}  ${fmtDuration(inStep)}/${fmtDuration(step.estimateMs)}  ~${fmtDuration(this.#leftMs())} left  (${fmtDuration(performance.now() - this.#t0)} elapsed)`;
    const columns = this.#out.columns ?? 120;
    this.#out.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  }
}
