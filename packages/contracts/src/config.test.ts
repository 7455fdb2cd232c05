import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ConfigError, intVar, parseConfig } from './config';

const Schema = v.object({ PORT: intVar(3000, 1, 65535, 'a port number (1-65535)') });

describe('parseConfig', () => {
  it('applies defaults and converts units', () => {
    expect(parseConfig(Schema, {})).toEqual({ PORT: 3000 });
    expect(parseConfig(Schema, { PORT: '8080' })).toEqual({ PORT: 8080 });
  });

  it.each(['http', '0', '70000', '-1'])('refuses PORT=%s naming the variable', (value) => {
    expect(() => parseConfig(Schema, { PORT: value })).toThrow(ConfigError);
    expect(() => parseConfig(Schema, { PORT: value })).toThrow(/PORT: must be a port number/);
  });
});
