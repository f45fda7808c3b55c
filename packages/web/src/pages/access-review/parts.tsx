import { RiseOutlined, WarningOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Form, Input, Modal, Progress, Space, Tag, Typography } from "antd";
import { type HTMLAttributes, useEffect, useState } from "react";
import { isApiError } from "../../api/client";
import { useApiError } from "../../api/errors";
import { formatDateTime } from "../../components/format";
import { common } from "../../i18n/common";
import { type Lang, pickName, useLang, useT } from "../../i18n/core";
import { type Campaign, decide, type ItemStatus, REVIEW_KEY, type ReviewItem } from "./api";
import { reviewText } from "./i18n";

const STATUS_COLOR: Record<ItemStatus, string> = { pending: "processing", confirmed: "success", revoked: "error" };

export function ItemStatusTag({ item }: { item: Pick<ReviewItem, "id" | "status"> }) {
  const t = useT(reviewText);
  return (
    <Tag color={STATUS_COLOR[item.status]} data-testid={`review-status-${item.id}`} data-status={item.status}>
      {t(`status_${item.status}`)}
    </Tag>
  );
}

export function roleLabel(item: Pick<ReviewItem, "roleNameZh" | "roleNameEn" | "role">, lang: Lang): string {
  return pickName(lang, item.roleNameZh, item.roleNameEn) || item.role;
}

export function scopeName(item: Pick<ReviewItem, "scopeZh" | "scopeEn">, lang: Lang, all: string): string {
  return item.scopeZh || item.scopeEn ? pickName(lang, item.scopeZh, item.scopeEn) : all;
}

export function PersonCell({ item }: { item: ReviewItem }) {
  const { lang } = useLang();
  const dept = pickName(lang, item.userDepartmentZh, item.userDepartmentEn);
  return (
    <Space orientation="vertical" size={0}>
      <span>{item.displayName}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {item.username}
        {dept ? ` · ${dept}` : ""}
      </Typography.Text>
    </Space>
  );
}

export function RoleCell({ item }: { item: ReviewItem }) {
  const { lang } = useLang();
  const t = useT(reviewText);
  return (
    <Space orientation="vertical" size={0}>
      <Tag color="blue">{roleLabel(item, lang)}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("scopeLabel", { scope: scopeName(item, lang, t("scopeAll")) })}
      </Typography.Text>
    </Space>
  );
}

/** The due time; overdue pending items in red, and how many managers up the item has climbed. */
export function DueCell({ item }: { item: ReviewItem }) {
  const t = useT(reviewText);
  return (
    <Space size={4} wrap>
      <Typography.Text type={item.overdue ? "danger" : undefined}>{formatDateTime(item.dueAt)}</Typography.Text>
      {item.overdue && (
        <Tag color="red" icon={<WarningOutlined />} data-testid={`review-overdue-${item.id}`}>
          {t("overdue")}
        </Tag>
      )}
      {item.escalationLevel > 0 && (
        <Tag color="orange" icon={<RiseOutlined />} data-testid={`review-escalated-${item.id}`}>
          {t("escalated", { n: item.escalationLevel })}
        </Tag>
      )}
    </Space>
  );
}

/** Row attributes: overdue pending rows get a light red background so they stand out in long lists. */
export function itemRowProps(item: ReviewItem, testId: string): HTMLAttributes<HTMLElement> {
  const attrs: Record<string, unknown> = { "data-testid": testId, "data-username": item.username, "data-overdue": item.overdue };
  if (item.overdue) attrs.style = { background: "#fff1f0" };
  return attrs as HTMLAttributes<HTMLElement>;
}

/** Decided share of a campaign: green = confirmed, red = revoked, grey = still pending. */
export function CampaignProgress({ c, width }: { c: Campaign; width?: number }) {
  const t = useT(reviewText);
  const total = c.items;
  const done = c.confirmed + c.revoked;
  const pct = (n: number) => (total === 0 ? 100 : Math.round((n / total) * 1000) / 10);
  return (
    <div style={{ width: width ?? 220 }} data-testid={`review-progress-${c.id}`} data-done={done} data-total={total}>
      <Progress
        percent={pct(done)}
        success={{ percent: pct(c.confirmed) }}
        strokeColor="#ff4d4f"
        size="small"
        format={() => t("progressText", { done, total })}
      />
    </div>
  );
}

export function CampaignCounts({ c }: { c: Campaign }) {
  const t = useT(reviewText);
  return (
    <Space size={[4, 4]} wrap>
      <Tag color="success">{t("countConfirmed", { n: c.confirmed })}</Tag>
      <Tag color="error">{t("countRevoked", { n: c.revoked })}</Tag>
      <Tag color="processing">{t("countPending", { n: c.pending })}</Tag>
      {c.overdue > 0 && <Tag color="red">{t("countOverdue", { n: c.overdue })}</Tag>}
      {c.escalated > 0 && <Tag color="orange">{t("countEscalated", { n: c.escalated })}</Tag>}
    </Space>
  );
}

/** Revoking needs a reason (kept with the outcome for the auditors); the role ends at once. */
export function RevokeModal({ item, onClose }: { item: ReviewItem | null; onClose: () => void }) {
  const t = useT(reviewText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (item) form.resetFields();
  }, [item, form]);

  const submit = async ({ note }: { note: string }) => {
    if (!item) return;
    setBusy(true);
    try {
      await decide(item.id, { decision: "revoke", note: note.trim() });
      message.success(t("revoked"));
      onClose();
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
      await qc.invalidateQueries({ queryKey: REVIEW_KEY });
    }
  };

  return (
    <Modal
      open={item !== null}
      title={item ? t("revokeTitle", { user: item.displayName, role: roleLabel(item, lang) }) : ""}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("revoke")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ danger: true, "data-testid": "review-revoke-submit" }}
      forceRender
    >
      <Alert type="warning" showIcon title={t("revokeWarning")} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={submit} data-testid="review-revoke-form">
        <Form.Item name="note" label={t("revokeNote")} rules={[{ required: true, whitespace: true, message: t("revokeNoteRequired") }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount placeholder={t("revokeNotePlaceholder")} data-testid="review-revoke-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Confirms one or many items after one dialog. Each item is its own command (its own audit record);
 * those that fail (decided meanwhile, escalated away) are listed and the rest still go through.
 */
export function useConfirmItems() {
  const t = useT(reviewText);
  const tc = useT(common);
  const { lang } = useLang();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();

  return (items: ReviewItem[], onDone?: () => void) => {
    if (items.length === 0) return;
    const single = items.length === 1;
    modal.confirm({
      title: single ? t("confirmOneTitle", { user: items[0].displayName, role: roleLabel(items[0], lang) }) : t("confirmBulkTitle", { n: items.length }),
      content: single ? (
        t("confirmOneText")
      ) : (
        <div>
          <div style={{ marginBottom: 6 }}>{t("confirmBulkText")}</div>
          <ul style={{ maxHeight: 240, overflowY: "auto", paddingInlineStart: 18, margin: 0 }} data-testid="review-bulk-list">
            {items.map((i) => (
              <li key={i.id}>
                {t("bulkItem", { user: i.displayName, role: roleLabel(i, lang), scope: scopeName(i, lang, t("scopeAll")) })}
              </li>
            ))}
          </ul>
        </div>
      ),
      okText: t("confirm"),
      cancelText: tc("cancel"),
      width: single ? 440 : 520,
      okButtonProps: { "data-testid": "review-confirm-ok" },
      onOk: async () => {
        if (single) {
          try {
            await decide(items[0].id, { decision: "confirm" });
            message.success(t("confirmed"));
            onDone?.();
          } catch (e) {
            showError(e);
          }
          await qc.invalidateQueries({ queryKey: REVIEW_KEY });
          return;
        }
        const failed: { item: ReviewItem; reason: string }[] = [];
        // One after another: the embedded database has a single connection anyway, and the order is kept.
        for (const item of items) {
          try {
            await decide(item.id, { decision: "confirm" });
          } catch (e) {
            failed.push({ item, reason: isApiError(e) ? e.detail || e.code : String(e) });
          }
        }
        await qc.invalidateQueries({ queryKey: REVIEW_KEY });
        const ok = items.length - failed.length;
        if (ok > 0) message.success(t("bulkDone", { n: ok }));
        if (failed.length > 0) {
          modal.error({
            title: t("bulkFailed", { n: failed.length }),
            okText: tc("ok"),
            content: (
              <ul style={{ paddingInlineStart: 18, margin: 0 }} data-testid="review-bulk-failed">
                {failed.map((f) => (
                  <li key={f.item.id}>{t("bulkFailedItem", { user: f.item.displayName, role: roleLabel(f.item, lang), reason: f.reason })}</li>
                ))}
              </ul>
            ),
          });
        }
        onDone?.();
      },
    });
  };
}
