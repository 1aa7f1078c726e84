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
        <header><h1>GenLab <span>live</span></h1><p>Pick a claim of the talk, move its settings, run it: the points arrive, the figure grows, the verdict is recomputed.</p></header>
        <main>
        <section id="setup" aria-label="experiment and settings">
          <label>Experiment <select id="experiment"></select></label>
          <p id="claim"></p>
          <label>Scale <select id="scale"></select></label>
          <div id="controls"></div>
          <div class="buttons"><button id="run" type="button">Run</button> <button id="cancel" type="button" disabled>Cancel</button></div>
          <p id="error" role="alert" hidden></p>
          <p class="command-label">Reproduce in a terminal:</p>
          <pre id="command"></pre>
          <h2>Queue</h2>
          <ul id="queue"></ul>
        </section>
        <section id="view" aria-label="figures and verdicts">
          <div id="state"><span id="status">not run yet</span> <progress id="progress" max="1" value="0"></progress> <span id="points-count">0</span> points</div>
          <ol id="points"></ol>
          <div id="verdicts"></div>
          <div id="figures"></div>
          <ul id="notes"></ul>
          <p id="files"></p>
        </section>
        </main>
        <script>\(script)</script>
        </body>
        </html>
        """
    }
}
