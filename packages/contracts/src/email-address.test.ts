import { describe, expect, it } from 'vitest';
import { bareAddress, domainOf, parseMailbox } from './email-address';
import * as v from 'valibot';
import { EmailAddress } from './email-address';

describe('mailboxes', () => {
  it.each([
    ['ada@example.com', { address: 'ada@example.com' }],
    ['Ada Lovelace <ada@example.com>', { name: 'Ada Lovelace', address: 'ada@example.com' }],
    ['"Lovelace, Ada" <ada@example.com>', { name: 'Lovelace, Ada', address: 'ada@example.com' }],
    ['<ada@example.com>', { address: 'ada@example.com' }],
  ])('parses %s', (input, expected) => {
    expect(parseMailbox(input)).toEqual(expected);
  });

  it.each([
    'Lovelace, Ada <ada@example.com>',
    'ada@example.com, bob@example.com',
    'ada@example.com\r\nBcc: x@example.com',
    'Ada <ada@example.com',
    'ada @example.com',
  ])('refuses %j', (input) => {
    expect(v.is(EmailAddress, input)).toBe(false);
  });

  it('normalises the recipient key and finds the domain', () => {
    expect(bareAddress('Ada <Ada@Example.COM>')).toBe('ada@example.com');
    expect(domainOf('Ada <ada@mail.example.com>')).toBe('mail.example.com');
  });
});
