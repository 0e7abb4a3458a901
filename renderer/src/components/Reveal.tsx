import { useEffect, useRef, type ReactNode } from 'react';

/** Scrolls its content into view when it appears: answers to "Test connection" land below the fold of a long form. */
export function Reveal({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, []);
  return (
    <div ref={ref} className={className}>
      {children}
    </div>
  );
}
