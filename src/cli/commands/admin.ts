/**
 * `kura admin …`: administrators' commands, with their own AWS credentials (the usual chain) —
 * users and groups (admin.ts, loaded only here), the profile from the stack, releases.
 */
import { writeFileSync } from 'node:fs';
import { errorMessage } from '../../shared/errors';
import { KuraError } from '../../main/services/kuraError';
import type { Command } from '../context';
import { printable } from '../printable';
import { askNewPassword } from '../prompt';
import { lang, say, UsageError } from '../terminal';

export const admin: Command = async ({ core, options: o }, [sub, email, ...extra]) => {
  if (sub === 'publish-release') {
    // The release feed's YAML and electron-updater: only this subcommand needs them.
    const { publishReleaseCommand } = await import('../publishRelease');
    return publishReleaseCommand(core.profiles, email, o.to);
  }
  if (extra.length > 0 && !['add-to-group', 'remove-from-group'].includes(sub ?? '')) {
    // Most likely a password after --temporary-password: never echo it back.
    throw new UsageError(say.usageErrors.adminOneEmail(sub ?? ''));
  }
  const group = extra[0];
  const { cloudFormationClient, profileFromStack, UserAdmin } = await import('../admin');
  if (sub === 'profile') {
    if (!o.stack) throw new UsageError(say.usageErrors.adminStack);
    const profile = await profileFromStack(cloudFormationClient(o.region), o.stack);
    const text = JSON.stringify(profile, null, 2) + '\n';
    if (o.out) {
      writeFileSync(o.out, text, { flag: 'wx' });
      process.stderr.write(say.admin.wroteProfile(o.out) + '\n');
    } else process.stdout.write(text);
    return 0;
  }
  const active = core.profiles.active();
  if (!active) throw new KuraError('NO_PROFILE');
  const users = new UserAdmin(active.profile);
  const needEmail = () => {
    if (!email) throw new UsageError(say.usageErrors.adminEmail(sub ?? ''));
    return email;
  };
  switch (sub) {
    case 'create-user': {
      const u = await users.createUser(needEmail(), {
        temporaryPassword: await temporaryPassword(o['temporary-password']),
        invite: o.invite ?? false,
      });
      process.stderr.write(
        (o.invite
          ? say.admin.invited(printable(u.email))
          : say.admin.created(printable(u.email), u.status)) + '\n',
      );
      return 0;
    }
    case 'list-users': {
      const list = await users.listUsers();
      if (o.json) process.stdout.write(JSON.stringify(list) + '\n');
      else
        for (const u of list)
          process.stdout.write(
            `${printable(u.email)}\t${u.status}\t${u.enabled ? 'enabled' : 'disabled'}\t${u.created}\n`,
          );
      return 0;
    }
    case 'disable-user':
    case 'enable-user':
      await users.setEnabled(needEmail(), sub === 'enable-user');
      return 0;
    case 'reset-password':
      await users.resetPassword(needEmail(), await temporaryPassword(o['temporary-password']));
      return 0;
    case 'sign-out':
      await users.signOutEverywhere(needEmail());
      return 0;
    case 'create-group': {
      const name = email;
      if (!name) throw new UsageError(say.usageErrors.adminGroupName);
      const precedence = o.precedence === undefined ? undefined : Number(o.precedence);
      if (precedence !== undefined && !(Number.isInteger(precedence) && precedence >= 0))
        throw new UsageError(say.usageErrors.precedence);
      await users.createGroup(name, {
        roleArn: o['role-arn'],
        precedence,
        description: o.description,
      });
      process.stderr.write(
        (o['role-arn']
          ? say.admin.groupWithRole(name, o['role-arn'])
          : say.admin.groupWithoutRole(name)) + '\n',
      );
      // A role the profile does not know as a group's: say what it must also grant.
      const role = o['role-arn'];
      if (role && !active.profile.locations?.some((l) => l.roleArn === role))
        process.stderr.write(
          `kura: ${errorMessage({ code: 'GROUP_ROLE_NOT_IN_PROFILE', detail: role }, lang)}\n`,
        );
      return 0;
    }
    case 'list-groups': {
      const list = await users.listGroups();
      if (o.json) process.stdout.write(JSON.stringify(list) + '\n');
      else
        for (const g of list)
          process.stdout.write(`${g.name}\t${g.roleArn ?? '-'}\t${g.precedence ?? '-'}\n`);
      return 0;
    }
    case 'add-to-group':
    case 'remove-from-group': {
      if (!email || !group) throw new UsageError(say.usageErrors.adminEmailAndGroup(sub));
      await users.setMembership(email, group, sub === 'add-to-group');
      process.stderr.write(
        (sub === 'add-to-group' ? say.admin.added(email, group) : say.admin.removed(email, group)) +
          '\n',
      );
      return 0;
    }
    default:
      throw new UsageError(
        sub ? say.usageErrors.unknownAdminCommand(sub) : say.usageErrors.noAdminCommand,
      );
  }
};

/** The temporary password an administrator sets: asked twice on a terminal (not shown), or stdin's next line. */
async function temporaryPassword(wanted: boolean | undefined): Promise<string | undefined> {
  if (!wanted) return undefined;
  const password = await askNewPassword(
    say.prompt.temporaryPassword,
    say.prompt.repeatTemporaryPassword,
  );
  if (!password) throw new UsageError(say.usageErrors.emptyTemporaryPassword);
  return password;
}
