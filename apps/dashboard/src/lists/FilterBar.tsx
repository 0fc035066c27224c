import { Button, Group, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import type { UrlFilters } from './useUrlFilters';

/** The filters above a list, and a button that clears them while any is set. */
export function FilterBar<N extends string>({ filters, children }: { filters: UrlFilters<N>; children: ReactNode }) {
  return (
    <Group align="flex-end" mb="sm" wrap="wrap">
      {children}
      {filters.active && (
        <Button variant="subtle" onClick={filters.clear}>
          Clear filters
        </Button>
      )}
    </Group>
  );
}

/** A text filter, applied on Enter or when the field loses focus (not on every keystroke). */
export function FilterField<N extends string>({ filters, name, label }: { filters: UrlFilters<N>; name: N; label: string }) {
  const value = filters.values[name];
  const apply = (text: string) => filters.set(name, text.trim());
  return (
    <TextInput
      // A new value from the URL (a link, Clear filters) remounts the field with it.
      key={value}
      label={label}
      defaultValue={value}
      onBlur={(e) => apply(e.currentTarget.value)}
      onKeyDown={(e) => e.key === 'Enter' && apply(e.currentTarget.value)}
    />
  );
}
