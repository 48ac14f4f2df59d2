// The sandbox "email and SMS" of registrations that allow offline communication: written with the
// registration, read by the wallet's Mailbox tab for the account's email and phone.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../core/db.ts';
import type { WalletSession } from '../wallet/service.ts';
import type { S2pDeps } from './deps.ts';
import {
  insertMailboxMessage,
  listMailboxMessages,
  type MailboxMessage,
  type RegistrationRow,
} from './store.ts';

const digits = (s: string) => s.replace(/[^0-9]/g, '');

export const emailRecipient = (email: string) => `mailto:${email.toLowerCase()}`;
export const phoneRecipient = (phone: string) => `tel:${digits(phone)}`;

/** The invitations to the registration's email and phone, in the registration's transaction. */
export async function sendOfflineInvitations(
  tx: Queryable,
  deps: Pick<S2pDeps, 'clock'>,
  row: RegistrationRow,
  welcomeUrl: string,
): Promise<void> {
  const { custom, email, phone } = row.request;
  const subject = `Add your ${custom.cardName} to Samsung Wallet`;
  const now = deps.clock.now();
  if (email) {
    await insertMailboxMessage(tx, {
      messageId: randomUUID(),
      regId: row.regId,
      channel: 'email',
      recipient: emailRecipient(email),
      subject,
      body: `${custom.partnerName} invites you to add your ${custom.cardName} to Samsung Wallet. Open the link and scan the code with your wallet.`,
      link: welcomeUrl,
      createdAt: now,
    });
  }
  if (phone) {
    await insertMailboxMessage(tx, {
      messageId: randomUUID(),
      regId: row.regId,
      channel: 'sms',
      recipient: phoneRecipient(phone),
      subject,
      body: `${custom.partnerName}: add your ${custom.cardName} to Samsung Wallet.`,
      link: welcomeUrl,
      createdAt: now,
    });
  }
}

/** Messages to the account's email and phone, newest first. */
export function listMailbox(
  deps: Pick<S2pDeps, 'db'>,
  input: { account: WalletSession['account'] },
): Promise<MailboxMessage[]> {
  const recipients = [emailRecipient(input.account.email)];
  if (input.account.phone) recipients.push(phoneRecipient(input.account.phone));
  return listMailboxMessages(deps.db, recipients);
}
