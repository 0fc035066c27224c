import { Button, Tooltip, type ButtonProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** A button disabled (with the reason as its tooltip) when the user may not act. */
export function GuardedButton({
  reason,
  children,
  ...props
}: ButtonProps & { reason: string | null; onClick?: () => void; type?: 'button' | 'submit'; 'aria-label'?: string; children: ReactNode }) {
  const button = (
    <Button {...props} disabled={props.disabled || reason !== null}>
      {children}
    </Button>
  );
  return reason ? (
    <Tooltip label={reason} withArrow>
      <span style={{ display: 'inline-block' }}>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}
