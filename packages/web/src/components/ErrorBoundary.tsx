import { Button, Result } from "antd";
import { Component, type ReactNode } from "react";
import { common } from "../i18n/common";
import { useT } from "../i18n/core";

function Fallback({ error }: { error: Error }) {
  const t = useT(common);
  return (
    <Result
      status="error"
      title={t("loadFailed")}
      subTitle={error.message}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t("retry")}
        </Button>
      }
    />
  );
}

/** Catches render errors and failed chunk loads (e.g. after an upgrade) so one page cannot blank the app. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  componentDidCatch(error: Error) {
    console.error(error);
  }

  render() {
    return this.state.error ? <Fallback error={this.state.error} /> : this.props.children;
  }
}
