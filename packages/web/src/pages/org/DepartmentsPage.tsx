import { ApartmentOutlined, DragOutlined, EditOutlined, PlusOutlined, ReloadOutlined, StopOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Tag,
  Tree,
  Typography,
} from "antd";
import type { DataNode } from "antd/es/tree";
import { useEffect, useMemo, useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAllDepartments, useUserOptions } from "../../api/queries";
import type { Department } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { type Lang, pickName, type TFunction, useLang, useT } from "../../i18n/core";
import { DeptSelect } from "./DeptSelect";
import { ancestorIds, buildForest, type DeptNode, deptName, subtreeIds } from "./deptTree";
import { orgText } from "./i18n";

const CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

interface FormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  parentId: number | null;
  managerUserId: number | null;
}

type Editing = { mode: "create"; parentId: number | null } | { mode: "edit"; dept: Department };

function matches(d: Department, q: string): boolean {
  const s = q.toLowerCase();
  return d.code.toLowerCase().includes(s) || d.nameZh.toLowerCase().includes(s) || d.nameEn.toLowerCase().includes(s);
}

function Highlight({ text, q }: { text: string; q: string }) {
  if (!q) return <>{text}</>;
  const i = text.toLowerCase().indexOf(q.toLowerCase());
  if (i < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, i)}
      <mark style={{ padding: 0, background: "#ffe58f" }}>{text.slice(i, i + q.length)}</mark>
      {text.slice(i + q.length)}
    </>
  );
}

function toTreeData(nodes: DeptNode[], lang: Lang, q: string, t: TFunction<keyof (typeof common)["zh-CN"]>): DataNode[] {
  return nodes.map((n) => ({
    key: n.dept.id,
    title: (
      <span data-testid={`dept-node-${n.dept.code}`} style={{ opacity: n.dept.active ? 1 : 0.55 }}>
        <Highlight text={pickName(lang, n.dept.nameZh, n.dept.nameEn)} q={q} />{" "}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <Highlight text={n.dept.code} q={q} />
        </Typography.Text>
        {!n.dept.active && (
          <Tag style={{ marginInlineStart: 6 }} variant="filled">
            {t("inactive")}
          </Tag>
        )}
      </span>
    ),
    children: n.children.length ? toTreeData(n.children, lang, q, t) : undefined,
  }));
}

function DepartmentForm({ editing, onClose, onSaved }: { editing: Editing | null; onClose: () => void; onSaved: (id: number) => void }) {
  const t = useT(orgText);
  const tc = useT(common);
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const users = useUserOptions(editing !== null && can("identity.user.read"));

  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    if (editing.mode === "create") form.setFieldsValue({ parentId: editing.parentId, managerUserId: null });
    else {
      const d = editing.dept;
      form.setFieldsValue({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, parentId: d.parentId, managerUserId: d.managerUserId });
    }
  }, [editing, form, renewKey]);

  const submit = async (v: FormValues) => {
    if (!editing) return;
    setBusy(true);
    try {
      if (editing.mode === "create") {
        const created = await api.post<Department>(
          "/api/org/departments",
          { code: v.code, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), parentId: v.parentId ?? null, managerUserId: v.managerUserId ?? null },
          { idempotencyKey: idemKey() },
        );
        message.success(tc("created"));
        await qc.invalidateQueries({ queryKey: ["org", "departments"] });
        onSaved(created.id);
      } else {
        const d = editing.dept;
        const changes: Record<string, unknown> = {};
        if (v.code !== d.code) changes.code = v.code;
        if (v.nameZh.trim() !== d.nameZh) changes.nameZh = v.nameZh.trim();
        if (v.nameEn.trim() !== d.nameEn) changes.nameEn = v.nameEn.trim();
        if ((v.managerUserId ?? null) !== d.managerUserId) changes.managerUserId = v.managerUserId ?? null;
        if (Object.keys(changes).length > 0) {
          await api.patch(`/api/org/departments/${d.id}`, changes, { version: d.version });
          message.success(tc("saved"));
          await qc.invalidateQueries({ queryKey: ["org", "departments"] });
        }
        onSaved(d.id);
      }
      renewKey();
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["org", "departments"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };

  const userOptions = (users.data?.items ?? [])
    .filter((u) => u.status !== "disabled")
    .map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));

  return (
    <Modal
      open={editing !== null}
      title={editing?.mode === "edit" ? t("deptEdit") : t("deptCreate")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "dept-form-submit" }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="dept-form">
        <Form.Item
          name="code"
          label={tc("code")}
          normalize={(v: string) => v?.toUpperCase()}
          rules={[
            { required: true, message: tc("required", { field: tc("code") }) },
            { pattern: CODE_RE, message: tc("codeRule") },
          ]}
        >
          <Input maxLength={32} data-testid="dept-code" placeholder="PROD" />
        </Form.Item>
        <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
          <Input maxLength={200} data-testid="dept-nameZh" />
        </Form.Item>
        <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
          <Input maxLength={200} data-testid="dept-nameEn" />
        </Form.Item>
        {editing?.mode === "create" && (
          <Form.Item name="parentId" label={t("deptParent")}>
            <DeptSelect placeholder={t("deptTopLevel")} testId="dept-parent" />
          </Form.Item>
        )}
        {can("identity.user.read") && (
          <Form.Item name="managerUserId" label={t("deptManager")}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: "label" }}
              placeholder={t("deptNoManager")}
              options={userOptions}
              loading={users.isLoading}
              data-testid="dept-manager"
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function MoveModal({ dept, all, onClose }: { dept: Department | null; all: Department[]; onClose: () => void }) {
  const t = useT(orgText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [parentId, setParentId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (dept) setParentId(dept.parentId);
  }, [dept]);
  const disabled = useMemo(() => (dept ? subtreeIds(all, dept.id) : new Set<number>()), [dept, all]);
  const save = async () => {
    if (!dept) return;
    if (parentId === dept.parentId) {
      onClose();
      return;
    }
    setBusy(true);
    try {
      await api.patch(`/api/org/departments/${dept.id}`, { parentId }, { version: dept.version });
      message.success(t("deptMoved"));
      await qc.invalidateQueries({ queryKey: ["org", "departments"] });
      onClose();
    } catch (e) {
      showError(e, { onConflict: () => void qc.invalidateQueries({ queryKey: ["org", "departments"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={dept !== null}
      title={dept ? t("deptMoveTitle", { name: deptName(dept, lang) }) : ""}
      onCancel={onClose}
      onOk={save}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "dept-move-submit" }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("deptParent")}</Typography.Paragraph>
      <DeptSelect value={parentId} onChange={setParentId} disabledIds={disabled} placeholder={t("deptTopLevel")} testId="dept-move-parent" />
    </Modal>
  );
}

export default function DepartmentsPage() {
  const t = useT(orgText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const canEdit = can("org.department.edit");
  const { data, isLoading, refetch, isFetching } = useAllDepartments();
  const users = useUserOptions(can("identity.user.read"));
  const [q, setQ] = useState("");
  const [showInactive, setShowInactive] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [expanded, setExpanded] = useState<React.Key[] | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [moving, setMoving] = useState<Department | null>(null);

  const all = data ?? [];
  const byId = useMemo(() => new Map(all.map((d) => [d.id, d])), [all]);
  const query = q.trim();

  // What the tree shows: matches plus their ancestors; inactive ones only when asked for.
  const { forest, visibleIds, matchCount } = useMemo(() => {
    const keep = new Set<number>();
    let count = 0;
    for (const d of all) {
      if (!showInactive && !d.active) continue;
      if (query && !matches(d, query)) continue;
      count++;
      keep.add(d.id);
      for (const a of ancestorIds(byId, d.id)) keep.add(a);
    }
    return { forest: buildForest(all.filter((d) => keep.has(d.id))), visibleIds: [...keep], matchCount: count };
  }, [all, byId, query, showInactive]);

  const treeData = useMemo(() => toTreeData(forest, lang, query, tc), [forest, lang, query, tc]);
  const expandedKeys = query ? visibleIds : (expanded ?? all.map((d) => d.id));
  const selected = selectedId !== null ? byId.get(selectedId) : undefined;
  const children = selected ? all.filter((d) => d.parentId === selected.id) : [];
  const manager = selected?.managerUserId ? users.data?.items.find((u) => u.id === selected.managerUserId) : undefined;

  const setActive = (d: Department, active: boolean) => {
    modal.confirm({
      title: active ? t("deptReactivateTitle", { name: deptName(d, lang) }) : t("deptDeactivateTitle", { name: deptName(d, lang) }),
      content: active ? undefined : t("deptDeactivateText"),
      okText: active ? t("deptReactivate") : t("deptDeactivate"),
      okButtonProps: { danger: !active, "data-testid": "dept-deactivate-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.patch(`/api/org/departments/${d.id}`, { active }, { version: d.version });
          message.success(active ? t("deptReactivated") : t("deptDeactivated"));
          if (!active) setShowInactive(true);
          await qc.invalidateQueries({ queryKey: ["org", "departments"] });
        } catch (e) {
          showError(e, { onConflict: () => void qc.invalidateQueries({ queryKey: ["org", "departments"] }) });
        }
      },
    });
  };

  return (
    <>
      <PageHeader
        title={t("deptTitle")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading} data-testid="dept-refresh">
              {tc("refresh")}
            </Button>
            {canEdit && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing({ mode: "create", parentId: selected?.active ? selected.id : null })}
                data-testid="dept-create"
              >
                {t("deptCreate")}
              </Button>
            )}
          </>
        }
      />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={10} xl={9}>
          <Card size="small" styles={{ body: { padding: 12 } }}>
            <Space orientation="vertical" style={{ width: "100%" }} size={8}>
              <Input.Search
                allowClear
                placeholder={t("deptSearch")}
                value={q}
                onChange={(e) => setQ(e.target.value)}
                data-testid="dept-search"
              />
              <Space size={6}>
                <Switch size="small" checked={showInactive} onChange={setShowInactive} data-testid="dept-show-inactive" />
                <Typography.Text type="secondary">{t("deptShowInactive")}</Typography.Text>
                <Typography.Text type="secondary" style={{ marginInlineStart: 12 }}>
                  {t("deptCount", { count: matchCount })}
                </Typography.Text>
              </Space>
              <div data-testid="dept-tree" style={{ minHeight: 200, maxHeight: "calc(100vh - 260px)", overflow: "auto" }}>
                {isLoading ? (
                  <Skeleton active />
                ) : treeData.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={query ? t("deptNoMatch") : t("deptEmpty")} />
                ) : (
                  <Tree
                    blockNode
                    showLine
                    treeData={treeData}
                    expandedKeys={expandedKeys}
                    onExpand={(keys) => !query && setExpanded(keys)}
                    selectedKeys={selectedId !== null ? [selectedId] : []}
                    onSelect={(_keys, info) => setSelectedId(Number(info.node.key))}
                  />
                )}
              </div>
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15}>
          <Card
            size="small"
            title={
              selected ? (
                <Space>
                  <ApartmentOutlined />
                  {deptName(selected, lang)}
                  <Tag>{selected.code}</Tag>
                </Space>
              ) : (
                tc("details")
              )
            }
            data-testid="dept-detail"
          >
            {!selected ? (
              <Empty description={t("deptSelectHint")} />
            ) : (
              <>
                <Descriptions
                  column={{ xs: 1, md: 2 }}
                  size="small"
                  bordered
                  items={[
                    { key: "code", label: tc("code"), children: selected.code },
                    {
                      key: "status",
                      label: t("deptStatus"),
                      children: selected.active ? <Tag color="green">{tc("active")}</Tag> : <Tag>{tc("inactive")}</Tag>,
                    },
                    { key: "zh", label: tc("nameZh"), children: selected.nameZh },
                    { key: "en", label: tc("nameEn"), children: selected.nameEn },
                    {
                      key: "parent",
                      label: t("deptParent"),
                      children: selected.parentId ? deptName(byId.get(selected.parentId), lang) : t("deptTopLevel"),
                    },
                    {
                      key: "manager",
                      label: t("deptManager"),
                      children: manager ? `${manager.displayName} (${manager.username})` : selected.managerUserId ? `#${selected.managerUserId}` : t("deptNoManager"),
                    },
                    {
                      key: "children",
                      label: t("deptChildren"),
                      span: 2,
                      children: children.length ? (
                        <Space size={[4, 4]} wrap>
                          {children.map((c) => (
                            <Tag key={c.id} style={{ cursor: "pointer" }} onClick={() => setSelectedId(c.id)}>
                              {deptName(c, lang)}
                            </Tag>
                          ))}
                        </Space>
                      ) : (
                        tc("none")
                      ),
                    },
                    { key: "updated", label: t("deptUpdatedAt"), children: formatDateTime(selected.updatedAt) },
                    { key: "version", label: t("version"), children: selected.version },
                  ]}
                />
                {canEdit && (
                  <Space wrap style={{ marginTop: 12 }}>
                    <Button icon={<EditOutlined />} onClick={() => setEditing({ mode: "edit", dept: selected })} data-testid="dept-edit">
                      {tc("edit")}
                    </Button>
                    {selected.active && (
                      <Button
                        icon={<PlusOutlined />}
                        onClick={() => setEditing({ mode: "create", parentId: selected.id })}
                        data-testid="dept-create-child"
                      >
                        {t("deptCreateChild")}
                      </Button>
                    )}
                    <Button icon={<DragOutlined />} onClick={() => setMoving(selected)} data-testid="dept-move">
                      {t("deptMove")}
                    </Button>
                    {selected.active ? (
                      <Button danger icon={<StopOutlined />} onClick={() => setActive(selected, false)} data-testid="dept-deactivate">
                        {t("deptDeactivate")}
                      </Button>
                    ) : (
                      <Button onClick={() => setActive(selected, true)} data-testid="dept-reactivate">
                        {t("deptReactivate")}
                      </Button>
                    )}
                  </Space>
                )}
              </>
            )}
          </Card>
        </Col>
      </Row>
      <DepartmentForm
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={(id) => {
          setEditing(null);
          setSelectedId(id);
          if (expanded) setExpanded([...expanded, id, ...ancestorIds(byId, id)]);
        }}
      />
      <MoveModal dept={moving} all={all} onClose={() => setMoving(null)} />
    </>
  );
}
