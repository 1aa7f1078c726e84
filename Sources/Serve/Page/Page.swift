/// The one page of `genlab serve`: markup, style and script inline, nothing loaded from elsewhere
/// (the Content-Security-Policy of "/" forbids it). Figures arrive as SVG drawn by the report's
/// own figure code; the script only places them.
enum Page {
    static var html: String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>GenLab: why does deep learning work? (live)</title>
        <style>\(style)</style>
        </head>
        <body>
        <header><h1>GenLab <span>live</span></h1><p>Pick a claim of the talk, move its settings, run it: the points \
        arrive, the figure grows, the verdict is recomputed.</p></header>
        <main>
        <section id="pick" aria-label="experiment">
          <label>Experiment <select id="experiment"></select></label>
          <p id="claim"></p>
          <label>Scale <select id="scale"></select></label>
          <div class="buttons"><button id="run" type="button">Run</button> <button id="cancel" type="button" \
        disabled>Cancel</button></div>
          <p id="error" role="alert" hidden></p>
          <p class="command-label">Reproduce in a terminal:</p>
          <pre id="command"></pre>
        </section>
        <section id="view" aria-label="figures and verdicts">
          <div id="state"><span id="status">not run yet</span> <progress id="progress" max="1" value="0"></progress> \
        <span><span id="points-count">0</span> points</span></div>
          <ul id="points"></ul>
          <div id="verdicts"></div>
          <div id="figures"></div>
          <ul id="notes"></ul>
          <p id="files"></p>
        </section>
        <details id="settings" open><summary>Settings (the experiment's own fields; sliders span the values of its \
        scales)</summary><div id="controls"></div></details>
        <section id="queue-box" aria-label="queue"><h2>Queue</h2><ul id="queue"></ul></section>
        </main>
        <script>\(script)</script>
        </body>
        </html>
        """
    }
}
