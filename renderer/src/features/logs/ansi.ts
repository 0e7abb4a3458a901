import Anser from 'anser';

export interface Segment {
  text: string;
  className?: string;
  color?: string;
  background?: string;
}

const basic = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const CUBE = [0, 95, 135, 175, 215, 255];

/** xterm's 256-colour palette; the 16 base colours map to theme classes so they read well in light and dark. */
function palette(n: number): { className?: string; rgb?: string } {
  if (n < 8) return { className: `ansi-${basic[n]}` };
  if (n < 16) return { className: `ansi-bright-${basic[n - 8]}` };
  if (n < 232) {
    const i = n - 16;
    return { rgb: `rgb(${CUBE[Math.floor(i / 36)]}, ${CUBE[Math.floor(i / 6) % 6]}, ${CUBE[i % 6]})` };
  }
  const g = 8 + (n - 232) * 10;
  return { rgb: `rgb(${g}, ${g}, ${g})` };
}

function colour(cls: string | null, truecolor: string | null, bg: boolean, out: Segment, classes: string[]): void {
  if (!cls) return;
  if (cls === 'ansi-truecolor' && truecolor) {
    if (bg) out.background = `rgb(${truecolor})`;
    else out.color = `rgb(${truecolor})`;
    return;
  }
  const m = /^ansi-palette-(\d+)$/.exec(cls);
  const p = m ? palette(Number(m[1])) : { className: cls };
  if (p.rgb) {
    if (bg) out.background = p.rgb;
    else out.color = p.rgb;
  } else if (p.className) classes.push(bg ? p.className.replace(/^ansi-/, 'ansi-bg-') : p.className);
}

const cache = new Map<string, Segment[]>();
const CACHE_MAX = 2000;

/** Coloured segments of one line; plain lines skip the parser, coloured ones are cached while they are on screen. */
export function segmentsOf(text: string): Segment[] {
  if (!text.includes('\x1b')) return [{ text }];
  const hit = cache.get(text);
  if (hit) return hit;
  const segments = Anser.ansiToJson(text, { json: true, use_classes: true, remove_empty: true }).map((e) => {
    const out: Segment = { text: e.content };
    const classes: string[] = [];
    colour(e.fg, e.fg_truecolor, false, out, classes);
    colour(e.bg, e.bg_truecolor, true, out, classes);
    for (const d of e.decorations ?? []) classes.push(`ansi-${d}`);
    if (classes.length) out.className = classes.join(' ');
    return out;
  });
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(text, segments);
  return segments;
}
