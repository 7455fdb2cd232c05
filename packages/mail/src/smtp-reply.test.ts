import { describe, it, expect } from 'vitest';
import { parseSmtpReply } from './smtp-reply';

const GMAIL_NO_SUCH_USER = [
  '550-5.1.1 The email account that you tried to reach does not exist. Please try',
  "550-5.1.1 double-checking the recipient's email address for typos or",
  '550-5.1.1 unnecessary spaces. For more information, go to',
  '550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1234567ejb.12 - gsmtp',
];

describe('parseSmtpReply', () => {
  it.each([
    {
      name: 'Gmail multi-line, CRLF',
      raw: GMAIL_NO_SUCH_USER.join('\r\n'),
      code: 550,
      enhanced: '5.1.1',
      text:
        "The email account that you tried to reach does not exist. Please try double-checking the recipient's " +
        'email address for typos or unnecessary spaces. For more information, go to ' +
        'https://support.google.com/mail/?p=NoSuchUser a1si1234567ejb.12 - gsmtp',
    },
    {
      name: 'nodemailer err.response (LF-joined lines)',
      raw: "452-4.2.2 The recipient's inbox is out of storage space.\n452 4.2.2 Please direct the recipient to - gsmtp",
      code: 452,
      enhanced: '4.2.2',
      text: "The recipient's inbox is out of storage space. Please direct the recipient to - gsmtp",
    },
    {
      name: 'nodemailer info.response after DATA',
      raw: '250 2.0.0 Ok: queued as 4F2B1C0A12',
      code: 250,
      enhanced: '2.0.0',
      text: 'Ok: queued as 4F2B1C0A12',
    },
    { name: 'no enhanced code', raw: '550 No such user', code: 550, text: 'No such user' },
    { name: 'code only', raw: '250', code: 250, text: '' },
    { name: 'greylisting without enhanced code', raw: '451 Greylisted', code: 451, text: 'Greylisted' },
    {
      name: 'qmail enhanced code at the end',
      raw: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
      code: 553,
      enhanced: '5.7.1',
      text: "sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
    },
    {
      name: 'three-digit detail',
      raw: '451 4.7.650 The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation.',
      code: 451,
      enhanced: '4.7.650',
      text: 'The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation.',
    },
    { name: 'text only, enhanced first', raw: '5.1.1 user unknown', enhanced: '5.1.1', text: 'user unknown' },
    { name: 'no code at all', raw: 'Connection timeout', text: 'Connection timeout' },
    {
      name: 'trailing newline and padding',
      raw: '  421 Service not available\r\n',
      code: 421,
      text: 'Service not available',
    },
  ])('$name', ({ raw, code, enhanced, text }) => {
    const parsed = parseSmtpReply(raw);
    expect(parsed.code).toBe(code);
    expect(parsed.enhanced).toBe(enhanced);
    expect(parsed.text).toBe(text);
  });

  it('takes the code from the first line and ignores version-like numbers in the text', () => {
    expect(parseSmtpReply('550 Relay 1.2.3 denied')).toEqual({ code: 550, text: 'Relay 1.2.3 denied' });
  });

  it('does not read a number at the start of continuation text as a new code', () => {
    expect(parseSmtpReply('554 Transaction failed\r\n554 5.7.1 see above')).toMatchObject({
      code: 554,
      enhanced: '5.7.1',
      text: 'Transaction failed see above',
    });
  });
});
