import { describe, expect, it } from 'vitest';
import { parseExcludes, slugify, uniqueId, validateLocal, validateProviderFields, validateSettings } from '../src/validate';
import { providersFixture } from '../src/dev-mock/fixtures';

const webdav = providersFixture().find((p) => p.key === 'webdav')!;
const sftp = providersFixture().find((p) => p.key === 'sftp')!;

describe('setup validation', () => {
  it('names every empty required field and a bad URL', () => {
    const e = validateProviderFields(webdav, { url: 'cloud.example.com', vendor: 'nextcloud', user: '', password: '  ' });
    expect(Object.keys(e).sort()).toEqual(['password', 'url', 'user']);
    expect(e.url).toMatch(/https:\/\//);
    expect(e.user).toBe('Enter the user name.');
  });

  it('accepts good values, optional blanks, and checks numbers', () => {
    expect(
      validateProviderFields(webdav, { url: 'https://cloud.example.com/remote.php/dav/files/me', vendor: 'nextcloud', user: 'me', password: 'pw' }),
    ).toEqual({});
    expect(validateProviderFields(sftp, { host: 'h', port: '' })).toEqual({});
    expect(validateProviderFields(sftp, { host: 'h', port: 'twenty-two' })).toHaveProperty('port');
  });

  it('requires a local folder and a usable, unused name', () => {
    expect(validateLocal('notes', '   ', [])).toEqual({ localPath: 'Choose the folder on this computer to sync.' });
    expect(validateLocal('', '', [])).toEqual({ localPath: 'Choose the folder on this computer to sync.' });
    expect(validateLocal('', '~/Notes', [])).toEqual({ id: 'Give this folder a short name.' });
    expect(validateLocal('my notes', '~/Notes', [])).toHaveProperty('id');
    expect(validateLocal('notes', '~/Notes', ['notes'])).toHaveProperty('id');
    expect(validateLocal('notes', '~/Notes', ['work'])).toEqual({});
  });

  it('makes a name from the folder', () => {
    expect(slugify('My Notes (2026)')).toBe('my-notes-2026');
    expect(slugify('Été')).toBe('ete');
    expect(slugify('***')).toBe('folder');
    expect(uniqueId('notes', ['notes', 'notes-2'])).toBe('notes-3');
  });
});

describe('settings validation', () => {
  const ok = { interval: 300, watch: true, exclude: [], conflictResolve: 'ask' as const, maxDeletePercent: 50, keepVersionsDays: 30 };
  it('checks the percentage and the days', () => {
    expect(validateSettings(ok)).toEqual({});
    expect(Object.keys(validateSettings({ ...ok, maxDeletePercent: 0, keepVersionsDays: -1 })).sort()).toEqual([
      'keepVersionsDays',
      'maxDeletePercent',
    ]);
    expect(validateSettings({ ...ok, maxDeletePercent: NaN })).toHaveProperty('maxDeletePercent');
  });
  it('reads one exclude pattern a line', () => {
    expect(parseExcludes(' .git/** \n\n*.log\r\nbuild/ ')).toEqual(['.git/**', '*.log', 'build/']);
  });
});
