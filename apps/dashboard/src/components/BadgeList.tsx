import { Badge, Group } from '@mantine/core';

/** Protocol values shown as they are spelt on the wire (scopes, grant types), one small badge each. */
export function BadgeList({ values, colorOf }: { values: readonly string[]; colorOf?: (value: string) => string }) {
  return (
    <Group gap={4}>
      {values.map((value) => (
        <Badge key={value} size="xs" variant="outline" color={colorOf?.(value)} tt="none">
          {value}
        </Badge>
      ))}
    </Group>
  );
}
