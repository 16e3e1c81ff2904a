// What every client module reads from its environment.

/** `env[name]`, or an error naming the variable. */
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new Error(`${name} is not set`);
  return value;
}

/** A comma-separated list, trimmed, without empty items. */
export function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return required(env, name)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
