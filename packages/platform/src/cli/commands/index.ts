import type { Command } from '../command.ts';
import { atwCommands } from './atw.ts';
import { cardCommands } from './card.ts';
import { checkoutCommands } from './checkout.ts';
import { clockAdvance, clockReset, clockShow } from './clock.ts';
import { deliveriesCommands } from './deliveries.ts';
import { faultsCommands } from './faults.ts';
import { logsCommands } from './logs.ts';
import { partnerCommands } from './partner.ts';
import { s2pCommands } from './s2p.ts';
import { serviceCommands } from './service.ts';
import { up } from './up.ts';
import { verify } from './verify.ts';
import { walletCommands } from './wallet.ts';

/** Every `cardport` command. Each domain's commands live in their own file under commands/. */
export const commands: Command[] = [
  up,
  clockShow,
  clockAdvance,
  clockReset,
  ...walletCommands,
  ...deliveriesCommands,
  ...faultsCommands,
  ...logsCommands,
  ...partnerCommands,
  ...cardCommands,
  ...serviceCommands,
  ...s2pCommands,
  ...checkoutCommands,
  ...atwCommands,
  verify,
];
