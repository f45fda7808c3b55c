import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App } from "antd";
import { useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";

/**
 * An operations card's overview (GET `url`) and its "run now" (POST `url` after a confirmation): the
 * overview refreshes every 3 s while a run is pending, and for 10 s after one was queued (before the
 * worker has picked it up).
 */
export function useOpsJob<T extends { pending: boolean }>(
  url: string,
  confirm: { title: string; content: string; okText: string; cancelText: string; okTestId: string; started: string },
) {
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [pendingSince, setPendingSince] = useState(0);
  const queryKey = ["ops", url];
  const query = useQuery({
    queryKey,
    queryFn: () => api.get<T>(url),
    refetchInterval: (q) => (q.state.data?.pending || Date.now() - pendingSince < 10_000 ? 3000 : false),
  });
  const runNow = () =>
    modal.confirm({
      title: confirm.title,
      content: confirm.content,
      okText: confirm.okText,
      cancelText: confirm.cancelText,
      okButtonProps: { "data-testid": confirm.okTestId },
      onOk: async () => {
        try {
          await api.post(url, {});
          setPendingSince(Date.now());
          message.success(confirm.started);
          await qc.invalidateQueries({ queryKey });
        } catch (e) {
          showError(e);
        }
      },
    });
  return { ...query, runNow };
}
