/** Resolves at `started + offsetMs` (at once if that is past): scenario steps keep their schedule however long the previous one took. */
export function at(started: number, offsetMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, started + offsetMs - Date.now())));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
