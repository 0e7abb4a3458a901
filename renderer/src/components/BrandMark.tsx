/** The app icon's mark (resources/make-icon.mjs draws the same shapes at 512 px). */
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 512 512" aria-hidden="true">
      <defs>
        <linearGradient id="berth-g" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#4f7cff" />
          <stop offset="1" stopColor="#2bb3a3" />
        </linearGradient>
      </defs>
      <rect x="32" y="32" width="448" height="448" rx="104" fill="url(#berth-g)" />
      <g fill="#fff">
        <rect x="120" y="326" width="272" height="38" rx="19" />
        <rect x="158" y="350" width="32" height="64" rx="12" />
        <rect x="322" y="350" width="32" height="64" rx="12" />
        <rect x="238" y="188" width="36" height="114" rx="14" />
        <path d="M256 104 L168 210 L344 210 Z" />
      </g>
    </svg>
  );
}
