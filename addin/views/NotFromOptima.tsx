/** The friendly sentence for an event that has no Optima record behind it. */
import { Body1, Card } from '@fluentui/react-components';

export interface NotFromOptimaProps {
  readonly text: string;
}

/** A calm card, not an error: most calendar events simply are not service orders. */
export function NotFromOptima({ text }: NotFromOptimaProps) {
  return (
    <Card data-testid="not-from-optima" role="status">
      <Body1>{text}</Body1>
    </Card>
  );
}
