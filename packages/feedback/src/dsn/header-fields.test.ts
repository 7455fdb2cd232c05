import { describe, expect, it } from 'vitest';
import { fieldOf, parseFieldBlocks, parseHeaderSection, typedAddress } from './header-fields';

describe('parseFieldBlocks', () => {
  it('splits at blank lines, unfolds continuations and keeps repeated fields', () => {
    const text = [
      'Reporting-MTA: dns; mx.example.com',
      '',
      'Final-Recipient: rfc822; a@example.com',
      'Diagnostic-Code: smtp; 550 5.1.1 no such',
      '\tuser here',
      'X-Note: one',
      'X-Note: two',
      '   ',
      'Final-Recipient: rfc822; b@example.com',
    ].join('\r\n');
    const blocks = parseFieldBlocks(text);
    expect(blocks).toHaveLength(3);
    expect(fieldOf(blocks[0], 'reporting-mta')).toBe('dns; mx.example.com');
    expect(fieldOf(blocks[1], 'diagnostic-code')).toBe('smtp; 550 5.1.1 no such user here');
    expect(blocks[1]?.get('x-note')).toEqual(['one', 'two']);
    expect(fieldOf(blocks[2], 'final-recipient')).toBe('rfc822; b@example.com');
  });

  it('skips lines that are not fields', () => {
    expect(parseFieldBlocks('  stray\nnot a field\nStatus: 5.0.0')).toEqual([
      new Map([['status', ['5.0.0']]]),
    ]);
  });
});

describe('parseHeaderSection', () => {
  it('reads the header section only', () => {
    const headers = parseHeaderSection('Message-ID: <x@y>\nSubject: hi\n\nBody: not a header\n');
    expect(fieldOf(headers, 'message-id')).toBe('<x@y>');
    expect(fieldOf(headers, 'body')).toBeUndefined();
  });
});

describe('typedAddress', () => {
  it('returns the address of rfc822 and utf-8 typed values', () => {
    expect(typedAddress('rfc822; ada@example.net')).toBe('ada@example.net');
    expect(typedAddress('RFC822;<ada@example.net>')).toBe('<ada@example.net>');
    expect(typedAddress('utf-8; ada@example.net')).toBe('ada@example.net');
    expect(typedAddress('ada@example.net')).toBe('ada@example.net');
  });

  it('returns undefined for other address types', () => {
    expect(typedAddress('x400; c=US;a=;p=Example;o=Mail;s=Doe')).toBeUndefined();
    expect(typedAddress(undefined)).toBeUndefined();
  });
});
