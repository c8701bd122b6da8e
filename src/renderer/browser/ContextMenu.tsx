/**
 * A menu (the rows' context menu, the View menu): arrow keys move, Home/End jump, Enter acts,
 * Escape, Tab or a click elsewhere closes, and focus goes back where it was. Kept inside the
 * window's edges.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface MenuItem {
  label: string;
  act: () => void;
  disabled?: boolean;
  /** A choice among several (role=menuitemradio). */
  checked?: boolean;
}

export function ContextMenu({
  x,
  y,
  items,
  label,
  onClose,
}: {
  x: number;
  y: number;
  items: MenuItem[];
  label?: string;
  onClose: () => void;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const box = useRef<HTMLUListElement>(null);
  const [at, setAt] = useState(() =>
    Math.max(
      0,
      items.findIndex((i) => !i.disabled),
    ),
  );
  const [pos, setPos] = useState({ left: x, top: y });
  useLayoutEffect(() => {
    const r = box.current?.getBoundingClientRect();
    if (!r) return;
    setPos({
      left: Math.max(4, Math.min(x, window.innerWidth - r.width - 4)),
      top: Math.max(4, Math.min(y, window.innerHeight - r.height - 4)),
    });
  }, [x, y]);
  // Once per menu (not per render of its owner): focus goes back where it was only on closing.
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    const away = () => close.current();
    window.addEventListener('mousedown', away);
    window.addEventListener('blur', away);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('blur', away);
      back?.focus();
    };
  }, []);
  useEffect(() => refs.current[at]?.focus(), [at]);
  const step = (from: number, by: number) => {
    for (let k = 1; k <= items.length; k++) {
      const i = (from + by * k + items.length * k) % items.length;
      if (!items[i]!.disabled) return i;
    }
    return from;
  };
  return (
    <ul
      ref={box}
      role="menu"
      aria-label={label}
      className="menu"
      style={pos}
      onMouseDown={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown') setAt(step(at, 1));
        else if (e.key === 'ArrowUp') setAt(step(at, -1));
        else if (e.key === 'Home') setAt(step(-1, 1));
        else if (e.key === 'End') setAt(step(items.length, -1));
        else if (e.key === 'Escape' || e.key === 'Tab') onClose();
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    >
      {items.map((item, i) => (
        <li key={item.label} role="none">
          <button
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role={item.checked === undefined ? 'menuitem' : 'menuitemradio'}
            aria-checked={item.checked}
            disabled={item.disabled}
            tabIndex={i === at ? 0 : -1}
            onClick={() => {
              onClose();
              item.act();
            }}
          >
            <span className="check" aria-hidden="true">
              {item.checked ? '✓' : ''}
            </span>
            {item.label}
          </button>
        </li>
      ))}
    </ul>
  );
}
