import type { PartHealth, PartState, ServerHealth } from '../../shared/api/servers';
import type { Output, Style } from './output';

const marks: Record<PartState, { style: Style; mark: string }> = {
  ok: { style: 'green', mark: '●' },
  warning: { style: 'yellow', mark: '▲' },
  down: { style: 'red', mark: '✕' },
  unchecked: { style: 'grey', mark: '○' },
};

export function stateMark(out: Output, state: PartState): string {
  const { style, mark } = marks[state];
  return out.paint(style, `${mark} ${state}`);
}

/** One line per part of the server as the engine judged it, each part not ok followed by its fix. */
export function printHealth(out: Output, health: ServerHealth, indent = '  '): void {
  const parts: Array<[string, PartHealth]> = [
    ['SSH', health.ssh],
    ['Docker', health.docker],
    ['Edge proxy', health.proxy],
  ];
  for (const [label, part] of parts) printPart(out, label.padEnd(11), part, indent);
  for (const app of health.apps) printPart(out, `app ${app.app}`.padEnd(11), app, indent);
}

function printPart(out: Output, label: string, part: PartHealth, indent: string): void {
  const code = part.code && part.state !== 'ok' ? ` ${out.paint('grey', `(${part.code})`)}` : '';
  out.line(`${indent}${out.paint('dim', label)} ${stateMark(out, part.state)}  ${part.detail}${code}`);
  if (part.fix && part.state !== 'ok') out.line(`${indent}${' '.repeat(label.length)}   ${out.paint('bold', 'fix:')} ${part.fix}`);
}
