import { validate } from 'dockerfile-utils';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  /** `FROM <image> [AS <name>]` */
  image: string;
  name: string | null;
  instructions: Instruction[];
}

/**
 * rcjsuen's dockerfile-utils (the validator of the Dockerfile language
 * server): syntax, instruction arguments, flags, durations, ports, stage
 * names. Every diagnostic it reports, warnings included, is a problem.
 */
export function lintDockerfile(text: string): string[] {
  return validate(text).map(
    (d) =>
      `line ${d.range.start.line + 1}: ${d.message}${d.code === undefined ? '' : ` (${String(d.code)})`}`,
  );
}

/** Instructions with continuation lines joined and comments dropped (escape character `\`). */
export function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending: { text: string; line: number } | null = null;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (pending === null && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending !== null && trimmed.startsWith('#')) return;
    const continued = trimmed.endsWith('\\');
    const body = continued ? trimmed.slice(0, -1) : trimmed;
    pending =
      pending === null ? { text: body, line: index + 1 } : { ...pending, text: `${pending.text} ${body}` };
    if (!continued) {
      const match = /^(\S+)\s*(.*)$/s.exec(pending.text);
      if (match)
        result.push({ keyword: (match[1] ?? '').toUpperCase(), args: match[2] ?? '', line: pending.line });
      pending = null;
    }
  });
  return result;
}

/** The build stages, with `${ARG}` defaults of the global ARGs substituted in FROM. */
export function stages(text: string): Stage[] {
  const all = instructions(text);
  const globalArgs = new Map<string, string>();
  const result: Stage[] = [];
  for (const instruction of all) {
    if (instruction.keyword === 'ARG' && result.length === 0) {
      const [name = '', value = ''] = instruction.args.split('=', 2);
      globalArgs.set(name.trim(), value.trim());
    } else if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args
        .replace(/--platform=\S+\s+/, '')
        .replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => globalArgs.get(a ?? b ?? '') ?? '')
        .split(/\s+/);
      result.push({ image, name: as?.toUpperCase() === 'AS' && name ? name : null, instructions: [] });
    } else {
      result.at(-1)?.instructions.push(instruction);
    }
  }
  return result;
}

/** The JSON (exec) form of CMD / ENTRYPOINT / HEALTHCHECK CMD, or null for the shell form. */
export function execForm(args: string): string[] | null {
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((part) => typeof part === 'string') ? value : null;
  } catch {
    return null;
  }
}

/** `ENV a=1 b=2` (and the legacy `ENV a 1`) of a stage, in order. */
export function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    if (!args.includes('=')) {
      const [name = '', ...value] = args.split(/\s+/);
      env.set(name, value.join(' '));
      continue;
    }
    for (const match of args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) {
      env.set(match[1] ?? '', (match[2] ?? '').replace(/^"|"$/g, ''));
    }
  }
  return env;
}
