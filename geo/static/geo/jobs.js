// A job's page: poll its JSON status once a second and move the progress bar, the timing and
// the log; when the job ends, reload once so the server renders its result and download.
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  const bar = document.getElementById("job-progress");
  const text = document.getElementById("job-progress-text");
  const timing = document.getElementById("job-timing");
  const state = document.getElementById("job-state");
  const log = document.getElementById("job-log");
  const d = box.dataset;
  const secs = (s) => (s === null ? "" : `${Math.round(s)} ${d.labelS}`);

  async function poll() {
    let job;
    try {
      const response = await fetch(d.statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      job = await response.json();
    } catch (e) {
      setTimeout(poll, 3000);
      return;
    }
    state.textContent = job.state_label;
    state.dataset.state = job.state;
    if (job.total) {
      bar.max = job.total;
      bar.value = job.done;
      text.textContent = `${job.done} / ${job.total} (%${job.percent})`;
    }
    let t = job.elapsed_s === null ? "" : `${d.labelElapsed}: ${secs(job.elapsed_s)}`;
    if (job.eta_s !== null) t += ` · ${d.labelLeft}: ${secs(job.eta_s)}`;
    timing.textContent = t;
    log.textContent = job.log.join("\n");
    if (job.finished) {
      window.location.reload();
      return;
    }
    setTimeout(poll, 1000);
  }
  poll();
})();
