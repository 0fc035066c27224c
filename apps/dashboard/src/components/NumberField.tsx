import { NumberInput, type NumberInputProps } from '@mantine/core';
import { Controller, type Control, type FieldPath, type FieldValues } from 'react-hook-form';

/**
 * A whole-number input bound to a react-hook-form field. An emptied input holds NaN, which the
 * form's zod schema refuses with its own message.
 */
export function NumberField<T extends FieldValues>({
  control,
  name,
  ...props
}: Omit<NumberInputProps, 'value' | 'onChange' | 'onBlur' | 'name'> & { control: Control<T>; name: FieldPath<T> }) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <NumberInput
          allowDecimal={false}
          {...props}
          value={typeof field.value === 'number' && !Number.isNaN(field.value) ? field.value : ''}
          onChange={(v) => field.onChange(typeof v === 'number' ? v : Number.NaN)}
          onBlur={field.onBlur}
          name={field.name}
        />
      )}
    />
  );
}
