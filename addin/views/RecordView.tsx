/** The record behind the open event, in the layout of its kind (order, activity, CRM task). */
import type { RecordView as RecordViewData } from '../../shared/addin-api.ts';
import { ServiceOrderCard } from './ServiceOrderCard.tsx';
import { ServiceActivityCard } from './ServiceActivityCard.tsx';
import { CrmRecordCard } from './CrmRecordCard.tsx';

export interface RecordViewProps {
  readonly record: RecordViewData;
}

export function RecordView({ record }: RecordViewProps) {
  switch (record.kind) {
    case 'serwis:zlecenie':
      return <ServiceOrderCard record={record} />;
    case 'serwis:czynnosc':
      return <ServiceActivityCard record={record} />;
    case 'crm:zadanie':
    case 'crm:wystapienie':
      return <CrmRecordCard record={record} />;
  }
}
