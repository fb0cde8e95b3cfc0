import type { ReactNode } from 'react';

export function EmptyState({ title, children, icon = '◎' }: { title: string; children?: ReactNode; icon?: string }) {
  return (
    <div className="empty" role="status">
      <div className="empty-icon" aria-hidden>
        {icon}
      </div>
      <h3>{title}</h3>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}
