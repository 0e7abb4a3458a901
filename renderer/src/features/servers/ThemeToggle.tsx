import { useUi } from '../../stores';

const labels = { system: 'Theme: follow the system', light: 'Theme: light', dark: 'Theme: dark' };
const icons = { system: '◐', light: '☀', dark: '☾' };

export function ThemeToggle() {
  const theme = useUi((s) => s.theme);
  return (
    <button type="button" className="btn ghost icon small" aria-label={labels[theme]} title={labels[theme]} onClick={() => useUi.getState().cycleTheme()}>
      {icons[theme]}
    </button>
  );
}
