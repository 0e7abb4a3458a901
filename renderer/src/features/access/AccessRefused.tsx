import type { ReactNode } from 'react';
import type { AccessRefusal, RefusedAccess } from '../../../../shared/bridge-access';
import { BrandMark } from '../../components/BrandMark';

const titles: Record<AccessRefusal, string> = {
  'wrong-token': 'This address no longer opens Berth',
  'no-token': 'This address is missing its token',
  'foreign-host': 'Berth answers only on a loopback address',
  'foreign-origin': 'Only Berth’s own page may connect',
};

/** `npm run web` in backticks becomes code; the bridge writes its sentences that way. */
function withCode(text: string): ReactNode[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

/**
 * What the window shows when the browser bridge refuses it: the reason in words and how to get a working address.
 * Nothing else is drawn, since no call can succeed from this page.
 */
export function AccessRefused({ refused }: { refused: RefusedAccess }) {
  return (
    <main className="access-refused" data-testid="access-refused" data-reason={refused.reason}>
      <section className="access-card" role="alert" aria-labelledby="access-title">
        <BrandMark />
        <h1 id="access-title">{titles[refused.reason]}</h1>
        <p className="access-message">
          {withCode(refused.message)}
          <code className="access-code">FORBIDDEN</code>
        </p>
        <ol className="access-steps">
          <li>
            In the terminal that runs <code>npm run web</code>, find the line <code>Berth is running at http://127.0.0.1:…/?token=…</code>.
            The token changes on every run.
          </li>
          <li>Open that address in this browser. Not running any more? Start it again with <code>npm run web</code>.</li>
          <li>
            On another machine, forward the port first: <code>ssh -L 8080:127.0.0.1:PORT you@that-machine</code>, then open{' '}
            <code>http://localhost:8080/?token=…</code> with the printed token.
          </li>
        </ol>
      </section>
    </main>
  );
}
