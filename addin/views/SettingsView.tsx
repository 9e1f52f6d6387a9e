/**
 * Templates editor for admins: one kind of record at a time, a live preview against a real record,
 * problems shown at their part and line, save, and the history with one-click revert.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Button, Card, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Select, Spinner,
  Subtitle1, Subtitle2, Text, Textarea, tokens,
} from '@fluentui/react-components';
import type { PreviewResponse, TemplatePart, TemplateProblem, TemplateTexts, TemplatesResponse } from '../../shared/addin-api.ts';
import type { AddinApi } from '../api/client.ts';
import { useI18n } from '../i18n/i18n-context.ts';
import { describeFailure, formatInstant } from '../i18n/format.ts';

const PREVIEW_DELAY_MS = 400;
const PARTS: readonly TemplatePart[] = ['subject', 'body', 'location'];

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  heading: { margin: 0 },
  version: { marginLeft: tokens.spacingHorizontalM, color: tokens.colorNeutralForeground3 },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  preview: { width: '100%', minHeight: '160px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1 },
  history: { margin: 0, paddingLeft: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  historyItem: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', columnGap: tokens.spacingHorizontalS },
});

export interface SettingsViewProps {
  readonly api: AddinApi;
  /** The record open in Outlook, used for the preview until the admin picks another. */
  readonly sourceKey: string | null;
}

type Notice = { readonly intent: 'success' | 'error'; readonly text: string } | null;

/** The templates page; loaded lazily, since only admins open it. */
export default function SettingsView({ api, sourceKey }: SettingsViewProps) {
  const { t, language } = useI18n();
  const styles = useStyles();
  const [templates, setTemplates] = useState<TemplatesResponse | null>(null);
  const [kind, setKind] = useState<string>('');
  const [texts, setTexts] = useState<TemplateTexts>({ subject: '', body: '', location: '' });
  const [previewKey, setPreviewKey] = useState(sourceKey ?? '');
  const [preview, setPreview] = useState<PreviewResponse | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [saveProblems, setSaveProblems] = useState<readonly TemplateProblem[]>([]);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  /** Reads the templates in force; false (with the reason shown) when that failed. */
  const load = useCallback(async (keepKind?: string): Promise<boolean> => {
    try {
      const loaded = await api.getTemplates();
      const kinds = Object.keys(loaded.kinds);
      const chosen = keepKind && loaded.kinds[keepKind] ? keepKind : kinds[0] ?? '';
      setTemplates(loaded);
      setKind(chosen);
      if (chosen) setTexts(loaded.kinds[chosen].texts);
      return true;
    } catch (error) {
      setNotice({ intent: 'error', text: describeFailure(error, t, language) });
      return false;
    }
  }, [api, t, language]);

  useEffect(() => { void load(); }, [load]);

  // Live preview: waits for a pause in typing, and ignores answers that arrive out of order.
  useEffect(() => {
    if (!kind || !previewKey.trim()) { setPreview(null); return; }
    let current = true;
    const timer = setTimeout(async () => {
      setPreviewing(true);
      try {
        const answer = await api.previewTemplate(kind, texts, previewKey.trim());
        if (current) setPreview(answer);
      } catch (error) {
        if (current) setNotice({ intent: 'error', text: describeFailure(error, t, language) });
      } finally {
        if (current) setPreviewing(false);
      }
    }, PREVIEW_DELAY_MS);
    return () => { current = false; clearTimeout(timer); };
  }, [api, kind, texts, previewKey, t, language]);

  const problems = useMemo(
    () => [...(preview && !preview.ok ? preview.problems : []), ...saveProblems],
    [preview, saveProblems],
  );

  async function save() {
    setSaving(true);
    setNotice(null);
    setSaveProblems([]);
    try {
      const answer = await api.saveTemplate(kind, texts);
      if (answer.ok) {
        // Said once the fields show what was saved, not while they still show the old texts.
        if (await load(kind)) setNotice({ intent: 'success', text: t.saved(answer.version) });
      } else {
        setSaveProblems(answer.problems);
      }
    } catch (error) {
      setNotice({ intent: 'error', text: describeFailure(error, t, language) });
    } finally {
      setSaving(false);
    }
  }

  async function revert(version: number) {
    setNotice(null);
    setSaveProblems([]);
    try {
      const answer = await api.revertTemplate(kind, version);
      if (answer.ok) {
        if (await load(kind)) setNotice({ intent: 'success', text: t.reverted(answer.version) });
      } else {
        setSaveProblems(answer.problems);
      }
    } catch (error) {
      setNotice({ intent: 'error', text: describeFailure(error, t, language) });
    }
  }

  if (!templates) {
    return notice ? <Notice notice={notice} /> : <Spinner label={t.loading} />;
  }
  const partLabel = (part: TemplatePart) => (part === 'subject' ? t.partSubject : part === 'body' ? t.partBody : t.partLocation);
  const history = templates.history.filter((version) => version.kind === kind);
  const entry = templates.kinds[kind];

  return (
    <section className={styles.root} aria-labelledby="settings-heading" data-testid="settings-view">
      <Subtitle1 as="h2" id="settings-heading" className={styles.heading}>{t.settingsTitle}</Subtitle1>
      <Field label={t.templateKind}>
        <Select value={kind} onChange={(_, data) => { setKind(data.value); setTexts(templates.kinds[data.value].texts); setSaveProblems([]); }}>
          {Object.keys(templates.kinds).map((name) => (
            <option key={name} value={name}>
              {name}{templates.kinds[name].isDefault ? ` (${t.defaultTemplate})` : ''}
            </option>
          ))}
        </Select>
      </Field>
      {PARTS.map((part) => {
        const partProblems = problems.filter((problem) => problem.part === part);
        return (
          <Field
            key={part}
            label={partLabel(part)}
            validationState={partProblems.length > 0 ? 'error' : 'none'}
            validationMessage={partProblems.length > 0 ? partProblems.map((p) => `${t.problemAt(partLabel(part), p.line)}: ${p.message}`).join('\n') : undefined}
          >
            <Textarea
              className={styles.mono}
              data-part={part}
              resize="vertical"
              rows={part === 'body' ? 8 : 2}
              value={texts[part]}
              onChange={(_, data) => { setTexts({ ...texts, [part]: data.value }); setSaveProblems([]); }}
            />
          </Field>
        );
      })}
      {problems.length > 0 ? (
        <MessageBar intent="error" layout="multiline" data-testid="template-problems">
          <MessageBarBody>
            <MessageBarTitle>{t.problemsTitle}</MessageBarTitle>
            <ul>
              {problems.map((p, index) => (
                <li key={index}>{t.problemAt(partLabel(p.part), p.line)}: {p.message}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <Field label={t.previewRecord}>
        <Input value={previewKey} onChange={(_, data) => setPreviewKey(data.value)} />
      </Field>
      <Card data-testid="template-preview" aria-labelledby="preview-heading" aria-busy={previewing}>
        <Subtitle2 as="h3" id="preview-heading" className={styles.heading}>{t.previewTitle}</Subtitle2>
        {previewing ? <Spinner size="tiny" label={t.previewing} labelPosition="after" /> : null}
        {!previewKey.trim() ? <Text>{t.previewNeedsRecord}</Text> : null}
        {preview && preview.ok ? (
          <>
            <Text weight="semibold" data-testid="preview-subject">{preview.event.subject}</Text>
            {preview.event.location ? <Text data-testid="preview-location">{preview.event.location}</Text> : null}
            {/* The rendered body is the server's HTML: shown in a sandbox, never in the pane's own DOM. */}
            <iframe className={styles.preview} title={t.previewTitle} sandbox="" srcDoc={preview.event.bodyHtml} data-testid="preview-body" />
          </>
        ) : null}
      </Card>
      <div>
        <Button appearance="primary" onClick={save} disabled={saving || !kind}>
          {saving ? t.saving : t.save}
        </Button>
        {entry && entry.version !== null ? <Text className={styles.version}>{t.currentVersion(entry.version)}</Text> : null}
      </div>
      <div aria-live="polite">{notice ? <Notice notice={notice} /> : null}</div>
      <Card aria-labelledby="history-heading" data-testid="template-history">
        <Subtitle2 as="h3" id="history-heading" className={styles.heading}>{t.history}</Subtitle2>
        {history.length === 0 ? <Text>{t.noHistory}</Text> : (
          <ul className={styles.history}>
            {history.map((version) => (
              <li key={version.version} className={styles.historyItem}>
                <Text>{t.versionLine(version.version, formatInstant(version.savedAt, language), version.savedBy)}</Text>
                <Button size="small" aria-label={t.revertLabel(version.version)} onClick={() => revert(version.version)}>
                  {t.revert}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </section>
  );
}

function Notice({ notice }: { readonly notice: NonNullable<Notice> }) {
  return (
    <MessageBar intent={notice.intent} data-testid="settings-notice">
      <MessageBarBody>{notice.text}</MessageBarBody>
    </MessageBar>
  );
}
