import { describe, expect, it } from 'vitest';
import { parseTemplate, templateProblems } from './support/cloudformation';
import { at, readRepoFile } from './support/repo';

const text = readRepoFile('infra', 'aws', 'elasticache.yaml');

describe('infra/aws/elasticache.yaml', () => {
  it('is valid against the CloudFormation resource specification', () => {
    expect(templateProblems(text)).toEqual([]);
  });

  it('describes a cluster-mode replication group that Mail Queue can rely on', () => {
    const template = parseTemplate(text);
    const group = at(template, 'Resources', 'ReplicationGroup', 'Properties');
    expect(at(template, 'Resources', 'ReplicationGroup', 'Type')).toBe('AWS::ElastiCache::ReplicationGroup');
    expect(group).toMatchObject({
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 1,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      AuthToken: { Ref: 'AuthToken' },
      CacheParameterGroupName: { Ref: 'ParameterGroup' },
      CacheSubnetGroupName: { Ref: 'SubnetGroup' },
      SecurityGroupIds: [{ 'Fn::GetAtt': ['SecurityGroup', 'GroupId'] }],
    });
    expect(at(template, 'Parameters', 'AuthToken', 'NoEcho')).toBe(true);
    expect(at(template, 'Resources', 'ParameterGroup', 'Properties', 'Properties')).toEqual({
      'cluster-enabled': 'yes',
      'maxmemory-policy': 'noeviction',
    });
    expect(at(template, 'Resources', 'SubnetGroup', 'Type')).toBe('AWS::ElastiCache::SubnetGroup');
    expect(at(template, 'Resources', 'SecurityGroup', 'Type')).toBe('AWS::EC2::SecurityGroup');
    expect(at(template, 'Outputs', 'ConfigurationEndpointAddress', 'Value')).toEqual({
      'Fn::GetAtt': ['ReplicationGroup', 'ConfigurationEndPoint.Address'],
    });
    expect(at(template, 'Outputs', 'RedisClusterNodes', 'Value')).toEqual({
      'Fn::Sub':
        '${ReplicationGroup.ConfigurationEndPoint.Address}:${ReplicationGroup.ConfigurationEndPoint.Port}',
    });
  });

  it('fails the checks when the template is broken', () => {
    const broken: Array<[string, string, string]> = [
      ['misspelt property', 'MultiAZEnabled: true', 'MultiAzEnabled: true'],
      ['missing required property', '      ReplicationGroupDescription: Mail Queue queues and stores\n', ''],
      ['wrong type', 'NumNodeGroups: 3', 'NumNodeGroups: three'],
      ['unknown attribute', 'ConfigurationEndPoint.Address\n', 'ConfigurationEndpoint.Address\n'],
      ['Ref to nothing', '!Ref AuthToken', '!Ref AuthTokn'],
      ['Sub to nothing', '${ReplicationGroup.ConfigurationEndPoint.Port}', '${ReplicationGroup.Port}'],
      ['unknown resource type', 'AWS::ElastiCache::SubnetGroup', 'AWS::ElastiCache::SubnetGroups'],
      ['list parameter where a string goes', 'VpcId: !Ref VpcId', 'VpcId: !Ref SubnetIds'],
      ['bad deletion policy', 'DeletionPolicy: Snapshot', 'DeletionPolicy: Backup'],
      ['bad nested property', 'IpProtocol: tcp', 'IpProtocl: tcp'],
      ['default outside its range', 'Default: 7', 'Default: 70'],
      ['duplicate key', '      Port: 6379\n', '      Port: 6379\n      Port: 6380\n'],
    ];
    for (const [what, from, to] of broken) {
      const mutated = text.replace(from, to);
      expect(mutated, what).not.toBe(text);
      expect(templateProblems(mutated), what).not.toEqual([]);
    }
  });
});
