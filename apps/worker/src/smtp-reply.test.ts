import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './smtp-reply';

describe('classifySmtpError', () => {
  it('treats 5xx replies as permanent', () => {
    expect(classifySmtpError({ responseCode: 550, response: '550 5.1.1 No such user' })).toEqual({
      kind: 'permanent',
      code: 550,
      reply: '550 5.1.1 No such user',
    });
  });

  it('treats 4xx replies as transient', () => {
    expect(classifySmtpError({ responseCode: 451, response: '451 4.3.0 Later' }).kind).toBe('transient');
  });

  it('treats errors without a reply (refused, timeout) as transient and says what happened', () => {
    const outcome = classifySmtpError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' }),
    );
    expect(outcome.kind).toBe('transient');
    expect(outcome.reply).toBe('ESOCKET: connect ECONNREFUSED 127.0.0.1:25');
  });
});
