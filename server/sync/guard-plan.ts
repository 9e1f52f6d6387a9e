import type { HeldPlan, SyncPlan } from '../domain/types.ts';

/**
 * Guard (pure): looks at the whole plan before any write. An empty source while links exist, or
 * a plan deleting many events at once, is far more often a broken query, a wrong database or a
 * lost permission than a real mass cancellation; such a plan is held until someone approves it.
 */

export interface GuardOptions {
  /** Links stored for this scope (events the sync owns). */
  readonly linkCount: number;
  /** Source keys in scope right now. */
  readonly sourceCount: number;
  /** Approval given (CLI flag or the panel): lifts both guards. */
  readonly allowMassDelete: boolean;
  /** Fewer deletions than this never hold a plan. Default 10. */
  readonly minDeletions?: number;
  /** Deletions at or above this share of the links hold the plan. Default 20. */
  readonly maxDeletePercent?: number;
}

export const DEFAULT_MIN_DELETIONS = 10;
export const DEFAULT_MAX_DELETE_PERCENT = 20;

const HOW_TO_APPROVE = 'uruchom `optima-sync sync --once --allow-mass-delete` albo zatwierdź w panelu';

/** Deletions at which a plan is held: max(minDeletions, maxDeletePercent % of links, rounded up). */
export function computeDeleteThreshold(linkCount: number, minDeletions = DEFAULT_MIN_DELETIONS, maxDeletePercent = DEFAULT_MAX_DELETE_PERCENT): number {
  return Math.max(minDeletions, Math.ceil((linkCount * maxDeletePercent) / 100));
}

/** Returns the plan with `held` set when a guard trips (or null when none does). Actions are untouched. */
export function guardPlan(plan: SyncPlan, options: GuardOptions): SyncPlan {
  const deletions = plan.actions.filter((a) => a.type === 'delete').length;
  const links = options.linkCount;
  const threshold = computeDeleteThreshold(links, options.minDeletions, options.maxDeletePercent);
  let held: HeldPlan | null = null;
  if (!options.allowMassDelete) {
    if (options.sourceCount === 0 && links > 0) {
      held = {
        guard: 'empty-source',
        deletions,
        links,
        threshold,
        message:
          `Źródło nie zwróciło żadnego rekordu, a w kalendarzach jest ${links} wydarzeń z synchronizacji — wstrzymuję plan (usunąłby ${deletions}), ` +
          `żeby nie wyczyścić kalendarzy. Sprawdź połączenie z bazą Optimy, wybraną firmę i zapytania; jeśli Optima naprawdę jest pusta, ${HOW_TO_APPROVE}.`,
      };
    } else if (deletions > 0 && deletions >= threshold) {
      held = {
        guard: 'mass-delete',
        deletions,
        links,
        threshold,
        message:
          `Plan usuwa ${deletions} z ${links} wydarzeń (próg wstrzymania: ${threshold}) — wstrzymuję go, żeby nie wyczyścić kalendarzy przez błąd zapytania albo filtra. ` +
          `Sprawdź, czy te rekordy naprawdę zniknęły z Optimy; jeśli tak, ${HOW_TO_APPROVE}.`,
      };
    }
  }
  return { ...plan, held };
}
