// Role policies as LaunchDarkly documents them: specifiers, globs, tags, negations, deny over allow within a role, base
// permissions, and the more permissive of several roles.
import { describe, expect, it } from 'vitest';
import { decide, explicitlyDenies, parseSpecifier, policyUsesTags, resourceName, singleRole, specifierMatches, type Need, type Policy, type ResourcePath, type Specifier, type Statement } from './policy.js';

const flagIn = (env: string, key = 'checkout', tags: string[] = [], critical = false): ResourcePath => [
  { type: 'proj', key: 'shop', tags: ['retail'] },
  { type: 'env', key: env, tags: env === 'production' ? ['live'] : [], attributes: { critical } },
  { type: 'flag', key, tags },
];

function spec(text: string): Specifier {
  const parsed = parseSpecifier(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

const need = (resource: ResourcePath, action: string): Need => ({ resource, action });
const policy = (statements: Statement[], baseReader = false): Policy => singleRole(statements, baseReader);

describe('resource specifiers', () => {
  it('match level by level, with globs in keys', () => {
    expect(specifierMatches(spec('proj/*:env/production:flag/*'), flagIn('production'))).toBe(true);
    expect(specifierMatches(spec('proj/*:env/production:flag/*'), flagIn('test'))).toBe(false);
    expect(specifierMatches(spec('proj/shop:env/prod*:flag/check?ut'), flagIn('production'))).toBe(true);
    expect(specifierMatches(spec('proj/sh:env/*:flag/*'), flagIn('production'))).toBe(false);
  });

  it('a specifier names one kind of resource: proj/* is not its flags, and * alone is everything', () => {
    expect(specifierMatches(spec('proj/*'), flagIn('production'))).toBe(false);
    expect(specifierMatches(spec('proj/*:env/*'), flagIn('production'))).toBe(false);
    expect(specifierMatches(spec('*'), flagIn('production'))).toBe(true);
    expect(specifierMatches(spec('proj/*'), [{ type: 'proj', key: 'shop' }])).toBe(true);
    expect(specifierMatches(spec('acct'), [{ type: 'acct' }])).toBe(true);
  });

  it('tags after ; must all be on the resource, each tag a glob, without case; {critical:true} filters on the attribute', () => {
    expect(specifierMatches(spec('proj/*;retail:env/*:flag/*'), flagIn('test'))).toBe(true);
    expect(specifierMatches(spec('proj/*;wholesale:env/*:flag/*'), flagIn('test'))).toBe(false);
    // LaunchDarkly: `flag/*;tag1,tag2` is the flags tagged tag1 and tag2; separate statements make an "or".
    expect(specifierMatches(spec('proj/*:env/*;live,staging:flag/*'), flagIn('production'))).toBe(false);
    expect(specifierMatches(spec('proj/*:env/*:flag/*;beta,web'), flagIn('test', 'checkout', ['web', 'beta', 'new']))).toBe(true);
    expect(specifierMatches(spec('proj/*:env/*:flag/*;beta,web'), flagIn('test', 'checkout', ['beta']))).toBe(false);
    // The reference's example `env/*;qa_*`: a tag glob.
    expect(specifierMatches(spec('proj/*:env/*:flag/*;qa_*'), flagIn('test', 'checkout', ['qa_team']))).toBe(true);
    expect(specifierMatches(spec('proj/*:env/*:flag/*;qa_*'), flagIn('test', 'checkout', ['qa']))).toBe(false);
    expect(specifierMatches(spec('proj/*:env/*:flag/*;qa_*'), flagIn('test'))).toBe(false);
    expect(specifierMatches(spec('proj/*:env/*;live:flag/*'), flagIn('test'))).toBe(false);
    expect(specifierMatches(spec('proj/*:env/*:flag/*;beta'), flagIn('test', 'checkout', ['beta']))).toBe(true);
    // LaunchDarkly: "Tags are not case-sensitive".
    expect(specifierMatches(spec('proj/*:env/*:flag/*;Beta,QA_*'), flagIn('test', 'checkout', ['beta', 'qa_team']))).toBe(true);
    expect(specifierMatches(spec('proj/*:env/*;{critical:true}:flag/*'), flagIn('production', 'checkout', [], true))).toBe(true);
    expect(specifierMatches(spec('proj/*:env/*;{critical:true}:flag/*'), flagIn('production', 'checkout', [], false))).toBe(false);
  });

  it('an environment-wide flag action (env/*) is matched only by a specifier for every environment', () => {
    const everyEnvironment: ResourcePath = [{ type: 'proj', key: 'shop' }, { type: 'env', key: '*' }, { type: 'flag', key: 'checkout' }];
    expect(specifierMatches(spec('proj/*:env/*:flag/*'), everyEnvironment)).toBe(true);
    expect(specifierMatches(spec('proj/*:env/production:flag/*'), everyEnvironment)).toBe(false);
  });

  it('malformed specifiers are refused with what is wrong', () => {
    expect(parseSpecifier('')).toBe('is empty');
    expect(parseSpecifier('proj/:env/*')).toMatch(/empty key/);
    expect(parseSpecifier('proj/*:env/*:flag/*;')).toMatch(/empty tag/);
    expect(parseSpecifier('proj/*::flag/*')).toMatch(/malformed part/);
    expect(parseSpecifier('proj/*:env/*;{critical}:flag/*')).toMatch(/attribute filter/);
  });

  it('resourceName prints the concrete resource', () => {
    expect(resourceName(flagIn('production'))).toBe('proj/shop:env/production:flag/checkout');
  });
});

describe('decide', () => {
  const prodFlags = { effect: 'allow' as const, resources: ['proj/*:env/production:flag/*'], actions: ['updateOn'] };

  it('allows what an allow statement names, and nothing else', () => {
    const p = policy([prodFlags]);
    expect(decide(p, need(flagIn('production'), 'updateOn'))).toBe('allow');
    expect(decide(p, need(flagIn('production'), 'updateRules'))).toBe('deny');
    expect(decide(p, need(flagIn('test'), 'updateOn'))).toBe('deny');
  });

  it('a deny wins over any allow, in any order', () => {
    const deny = { effect: 'deny' as const, resources: ['proj/*:env/*:flag/checkout'], actions: ['*'] };
    expect(decide(policy([prodFlags, deny]), need(flagIn('production'), 'updateOn'))).toBe('deny');
    expect(decide(policy([deny, prodFlags]), need(flagIn('production'), 'updateOn'))).toBe('deny');
    expect(decide(policy([deny, prodFlags]), need(flagIn('production', 'other'), 'updateOn'))).toBe('allow');
  });

  it('action globs: * and update*', () => {
    const p = policy([{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['update*'] }]);
    expect(decide(p, need(flagIn('test'), 'updateFallthrough'))).toBe('allow');
    expect(decide(p, need(flagIn('test'), 'deleteFlag'))).toBe('deny');
  });

  it('notResources and notActions name what a statement leaves out', () => {
    const allButProduction = policy([{ effect: 'allow', notResources: ['proj/*:env/production:flag/*'], actions: ['*'] }]);
    expect(decide(allButProduction, need(flagIn('test'), 'updateOn'))).toBe('allow');
    expect(decide(allButProduction, need(flagIn('production'), 'updateOn'))).toBe('deny');
    const allButDelete = policy([{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], notActions: ['deleteFlag'] }]);
    expect(decide(allButDelete, need(flagIn('test'), 'updateOn'))).toBe('allow');
    expect(decide(allButDelete, need(flagIn('test'), 'deleteFlag'))).toBe('deny');
  });

  it('across roles the more permissive wins: one role allowing is enough, whatever another denies', () => {
    const deny = { effect: 'deny' as const, resources: ['proj/*:env/*:flag/*'], actions: ['updateOn'] };
    const twoRoles: Policy = { roles: [{ statements: [deny], baseReader: false }, { statements: [prodFlags], baseReader: false }] };
    expect(decide(twoRoles, need(flagIn('production'), 'updateOn'))).toBe('allow');
    expect(decide(twoRoles, need(flagIn('test'), 'updateOn'))).toBe('deny');
    expect(explicitlyDenies(twoRoles, need(flagIn('test'), 'updateOn'))).toBe(true);
    expect(explicitlyDenies(twoRoles, need(flagIn('production'), 'updateOn'))).toBe(false);
    // A role's base permissions are that role's: another role's deny of viewProject does not take them away.
    const project: ResourcePath = [{ type: 'proj', key: 'shop' }];
    const viewDenied: Policy = { roles: [{ statements: [{ effect: 'deny', resources: ['proj/*'], actions: ['*'] }], baseReader: false }, { statements: [], baseReader: true }] };
    expect(decide(viewDenied, need(project, 'viewProject'))).toBe('allow');
  });

  it('base permissions grant viewing only, and a deny of viewProject still wins', () => {
    const project: ResourcePath = [{ type: 'proj', key: 'shop' }];
    expect(decide(policy([], true), need(project, 'viewProject'))).toBe('allow');
    expect(decide(policy([], false), need(project, 'viewProject'))).toBe('deny');
    expect(decide(policy([], true), need(flagIn('test'), 'updateOn'))).toBe('deny');
    expect(decide(policy([{ effect: 'deny', resources: ['proj/shop'], actions: ['viewProject'] }], true), need(project, 'viewProject'))).toBe('deny');
  });

  it('a specifier that does not parse matches nothing', () => {
    expect(decide(policy([{ effect: 'allow', resources: ['proj/:env'], actions: ['*'] }]), need(flagIn('test'), 'updateOn'))).toBe('deny');
  });

  it('policyUsesTags tells whether tags must be looked up', () => {
    expect(policyUsesTags(policy([prodFlags]))).toBe(false);
    expect(policyUsesTags(policy([{ effect: 'allow', resources: ['proj/*;retail'], actions: ['*'] }]))).toBe(true);
    expect(policyUsesTags(policy([{ effect: 'deny', notResources: ['proj/*:env/*;{critical:true}'], actions: ['*'] }]))).toBe(true);
  });
});
