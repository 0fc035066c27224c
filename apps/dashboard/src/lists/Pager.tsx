import { Button, Group, Text } from '@mantine/core';

/** Previous and next over cursor pages (useListPages); nothing when there is one page. */
export function Pager({
  page,
  hasPrevious,
  hasNext,
  previous,
  next,
}: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previous: () => void;
  next: () => void;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <Group justify="flex-end" mt="sm" gap="xs">
      <Text size="sm" c="dimmed">
        Page {page}
      </Text>
      <Button size="xs" variant="default" onClick={previous} disabled={!hasPrevious}>
        Previous
      </Button>
      <Button size="xs" variant="default" onClick={next} disabled={!hasNext}>
        Next
      </Button>
    </Group>
  );
}
