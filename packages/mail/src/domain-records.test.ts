import { describe, it, expect } from 'vitest';
import { sendingDomainRecords } from './domain-records';

const OPTIONS = { returnPathHost: 'bounces.mailq.example', spfInclude: '_spf.mailq.example' };

describe('sendingDomainRecords', () => {
  it('lists DKIM, SPF, DMARC and return-path records for the domain', () => {
    const records = sendingDomainRecords(
      'Acme.Example.',
      { selector: 'mq202401', publicKeyBase64: 'MIIBIjAN' },
      OPTIONS,
    );
    expect(records).toEqual([
      {
        purpose: 'dkim',
        type: 'TXT',
        name: 'mq202401._domainkey.acme.example',
        value: 'v=DKIM1; k=rsa; p=MIIBIjAN',
      },
      { purpose: 'spf', type: 'TXT', name: 'acme.example', value: 'v=spf1 include:_spf.mailq.example ~all' },
      { purpose: 'dmarc', type: 'TXT', name: '_dmarc.acme.example', value: 'v=DMARC1; p=none;' },
      { purpose: 'return_path', type: 'CNAME', name: 'bounces.acme.example', value: 'bounces.mailq.example' },
    ]);
  });

  it('refuses a public key that is not plain base64', () => {
    expect(() =>
      sendingDomainRecords(
        'acme.example',
        { selector: 'mq', publicKeyBase64: '-----BEGIN PUBLIC KEY-----' },
        OPTIONS,
      ),
    ).toThrow(/base64/);
  });
});
