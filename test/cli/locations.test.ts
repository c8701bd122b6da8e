/**
 * `kura locations`, `kura ls` without a URI, and `ls`/`get` inside a location, as whole CLI
 * processes against local-aws — first as a new user would with `--policy own-prefix` (the issue
 * that started it: `kura ls s3://kura-demo/` said "no permission" and nothing said where the
 * user's files were), then with group folders opened by their group's role.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalAws } from '../../local-aws/server';
import { createConfirmedUser, startTestAws } from '../helpers/localAws';
import { keychainSkipReason, runKura, tempDir } from '../helpers/kura';

const PASSWORD = 'Correct-Horse-9';
const bucket = 'kura-demo';

async function login(aws: LocalAws, dataDir: string, email: string) {
  const r = await runKura(
    dataDir,
    ['--profile', aws.profilePath, 'login', '--username', email, '--password-stdin'],
    `${PASSWORD}\n`,
  );
  expect(r.code).toBe(0);
}

describe.skipIf(keychainSkipReason !== '')(`kura CLI with locations ${keychainSkipReason}`, () => {
  describe('--policy own-prefix', () => {
    let aws: LocalAws;
    const home: Record<string, string> = {};
    beforeAll(async () => {
      aws = await startTestAws({ bucket, policy: 'own-prefix' });
      for (const email of ['ann@example.com', 'ben@example.com']) {
        createConfirmedUser(aws, email, PASSWORD);
        home[email] = `${aws.identityPool.identityFor(aws.userPool.findUser(email)!.sub)}/`;
        await aws.store.put(
          bucket,
          `${home[email]}notes/${email}.txt`,
          Readable.from([Buffer.from(`notes of ${email}`)]),
        );
      }
    });
    afterAll(() => aws.stop());

    it('shows the home; ls and get work there; another home is denied in one line', async () => {
      const dataDir = tempDir('kura-cli-loc-');
      await login(aws, dataDir, 'ann@example.com');
      const ann = home['ann@example.com']!;

      const text = await runKura(dataDir, ['locations']);
      expect(text.stdout).toBe(`s3://${bucket}/${ann}\tMy files\n`);
      const json = await runKura(dataDir, ['locations', '--json']);
      expect(JSON.parse(json.stdout)).toEqual([
        { uri: `s3://${bucket}/${ann}`, label: 'My files', bucket, prefix: ann },
      ]);
      expect((await runKura(dataDir, ['ls'])).stdout).toBe(text.stdout);
      expect(JSON.parse((await runKura(dataDir, ['ls', '--json'])).stdout)).toEqual(
        JSON.parse(json.stdout),
      );

      const listed = await runKura(dataDir, ['ls', `s3://${bucket}/${ann}notes/`, '--json']);
      expect(JSON.parse(listed.stdout)).toMatchObject({
        files: [{ key: `${ann}notes/ann@example.com.txt` }],
      });
      const dest = tempDir();
      const got = await runKura(dataDir, [
        'get',
        `s3://${bucket}/${ann}notes/ann@example.com.txt`,
        dest,
      ]);
      expect(got.code).toBe(0);
      expect(readFileSync(join(dest, 'ann@example.com.txt'), 'utf8')).toBe(
        'notes of ann@example.com',
      );

      const ben = home['ben@example.com']!;
      const denied = await runKura(dataDir, ['ls', `s3://${bucket}/${ben}`]);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toBe(
        'kura: You do not have permission to read this. Ask your administrator if you need it.\n',
      );
      const notGot = await runKura(dataDir, [
        'get',
        `s3://${bucket}/${ben}notes/ben@example.com.txt`,
        dest,
      ]);
      expect(notGot.code).toBe(1);
      expect(notGot.stderr).toBe(denied.stderr);
      const root = await runKura(dataDir, ['ls', `s3://${bucket}/`]);
      expect(root.stderr).toBe(denied.stderr);
    });

    it('says in one line that there is nothing to open, when there is nothing', async () => {
      const dataDir = tempDir('kura-cli-loc-');
      // A profile whose only place is a group's folder the user is not in.
      const profilePath = join(dataDir, 'groups-only.json');
      writeFileSync(
        profilePath,
        JSON.stringify({
          ...aws.profile,
          locations: [
            {
              bucket,
              prefix: 'design/',
              label: 'Design',
              roleArn: 'arn:aws:iam::123456789012:role/KuraGroupRole-design',
            },
          ],
        }),
      );
      const r = await runKura(
        dataDir,
        ['--profile', profilePath, 'login', '--username', 'ann@example.com', '--password-stdin'],
        `${PASSWORD}\n`,
      );
      expect(r.code).toBe(0);
      const none = await runKura(dataDir, ['locations']);
      expect(none).toEqual({
        code: 0,
        stdout: '',
        stderr:
          'kura: There is no place you may open with this account. Ask your administrator for access.\n',
      });
      expect(await runKura(dataDir, ['locations', '--json'])).toMatchObject({ stdout: '[]\n' });
    });
  });

  describe('--policy groups', () => {
    let aws: LocalAws;
    beforeAll(async () => {
      aws = await startTestAws({ bucket, policy: 'groups', groups: ['design', 'sales'] });
      createConfirmedUser(aws, 'dee@example.com', PASSWORD);
      aws.userPool.groups.addUser('dee@example.com', 'design');
      aws.userPool.groups.addUser('dee@example.com', 'sales');
      for (const key of ['design/spec.txt', 'sales/leads.txt'])
        await aws.store.put(bucket, key, Readable.from([Buffer.from(key)]));
    });
    afterAll(() => aws.stop());

    it("lists the group folders and reads each with its group's role", async () => {
      const dataDir = tempDir('kura-cli-groups-');
      await login(aws, dataDir, 'dee@example.com');
      const lines = (await runKura(dataDir, ['locations'])).stdout.trimEnd().split('\n');
      expect(lines.slice(1)).toEqual([
        `s3://${bucket}/design/\tdesign`,
        `s3://${bucket}/sales/\tsales`,
      ]);
      expect(lines[0]).toMatch(
        new RegExp(`^s3://${bucket}/ap-northeast-1:[0-9a-f-]{36}/\tMy files$`),
      );
      // Two groups of equal precedence: without CustomRoleArn the pool gives the own-prefix
      // role, which reads neither folder — so these work only because each goes by its role.
      const dest = tempDir();
      for (const key of ['design/spec.txt', 'sales/leads.txt']) {
        const r = await runKura(dataDir, ['get', `s3://${bucket}/${key}`, dest]);
        expect(r.code).toBe(0);
        expect(readFileSync(join(dest, key.split('/')[1]!), 'utf8')).toBe(key);
      }
      const listed = await runKura(dataDir, ['ls', '--recursive', `s3://${bucket}/sales/`]);
      expect(listed.stdout).toMatch(/sales\/leads\.txt\n$/);
    });
  });
});
