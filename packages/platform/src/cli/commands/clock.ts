import type { AdvancedClockAnswer, ClockAnswer } from '../../admin/answers.ts';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';

const describe = (c: ClockAnswer) =>
  `sandbox time ${c.nowIso} (offset ${Math.round(c.offsetMs / 1000)} s ahead of real time)`;

export const clockShow: Command = {
  name: 'clock show',
  summary: 'show the sandbox time and how far it is ahead of real time',
  options: {},
  async run({ admin }) {
    const c = await admin().request<ClockAnswer>('GET', '/clock');
    return { json: { ...c }, text: describe(c) };
  },
};

export const clockAdvance: Command = {
  name: 'clock advance',
  summary:
    "move business time forward (e.g. 30s, 5m, 2h, 1d, 1h30m): welcome URLs, credential lifetimes, retry waits and pass dates expire; partners keep their real clocks, so AUTH token and cdata utc, the platform's own AUTH tokens and certificates stay on real time",
  positionals: 'DURATION',
  options: {},
  async run({ admin, positionals }) {
    const duration = positionals[0];
    if (!duration || positionals.length > 1)
      throw new CliError('give exactly one DURATION, e.g. cardport clock advance 5m', 2);
    const c = await admin().request<AdvancedClockAnswer>('POST', '/clock/advance', { duration });
    return { json: { ...c }, text: `advanced ${duration}: ${describe(c)}` };
  },
};

export const clockReset: Command = {
  name: 'clock reset',
  summary: 'put the sandbox time back to real time',
  options: {},
  async run({ admin }) {
    const c = await admin().request<ClockAnswer>('POST', '/clock/reset');
    return { json: { ...c }, text: describe(c) };
  },
};
