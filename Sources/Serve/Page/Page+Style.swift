extension Page {
    /// Two columns (settings, figures) at 1400 px; one column below 900 px.
    static let style = """
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 Helvetica,Arial,sans-serif;color:#222;background:#fafafa}
        header{padding:12px 20px;background:#123;color:#fff}header h1{margin:0;font-size:22px}header h1 \
        span{color:#f9c74f;font-weight:normal}
        header p{margin:4px 0 0;font-size:14px;color:#ccd}
        main{display:grid;grid-template-columns:minmax(300px,420px) 1fr;grid-template-areas:"pick view" "settings \
        view" "queue view";
          grid-template-rows:auto auto 1fr;gap:0 20px;padding:16px 20px;align-items:start}
        #pick{grid-area:pick}#view{grid-area:view}#settings{grid-area:settings}#queue-box{grid-area:queue}
        @media (max-width:900px){main{grid-template-columns:1fr;grid-template-areas:"pick" "view" "settings" \
        "queue";padding:10px}}
        summary{cursor:pointer;font-weight:bold;margin:8px 0}h2{font-size:16px;margin:12px 0 4px}
        section{min-width:0}label{display:block;margin:8px 0 \
        2px;font-weight:bold}select,input[type=text],input[type=number]{width:100%;font:inherit;padding:4px}
        #claim{font-size:13px;color:#555;margin:4px 0}
        .control{margin:6px 0;padding:4px 8px;background:#fff;border:1px solid #ddd;border-radius:4px}.control \
        label{margin:2px 0}
        .control .flag{font-family:monospace;font-weight:bold}.control .help{display:block;font-size:12px;color:#666}
        .control .row{display:flex;gap:8px;align-items:center}.control .row \
        input[type=range]{flex:1;min-width:0}.control .row input[type=number]{width:7em}
        .buttons{margin:12px 0}button{font:inherit;padding:6px 18px;border-radius:4px;border:1px solid \
        #345;background:#235;color:#fff;cursor:pointer}
        button:disabled{background:#ccc;border-color:#bbb;color:#666;cursor:default}\
        #cancel:not(:disabled){background:#a33;border-color:#822}
        #error{color:#900;background:#fee;border:1px solid #e99;padding:6px;white-space:pre-wrap;overflow-wrap:anywhere}
        pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#eee;padding:6px;font-size:13px}\
        .command-label{margin:8px 0 0;font-size:13px}
        #queue{padding-left:18px;font-size:13px}#queue .mine{font-weight:bold;cursor:pointer}
        #state{display:flex;flex-wrap:wrap;gap:8px;align-items:center;font-size:14px}#progress{width:160px}
        #points{font-size:12px;color:#555;max-height:7.5em;overflow:auto;margin:6px 0}
        .verdict{background:#fff;border-left:5px solid #999;padding:6px 10px;margin:8px 0;overflow-wrap:anywhere}
        .verdict.supported{border-color:#2a7}.verdict.not-supported{border-color:#c33}.verdict .label{font-weight:bold}
        .verdict .evidence{font-size:13px;color:#444}.verdict .mde{font-size:12px;color:#666}
        .partial{color:#a60;font-size:13px}
        #figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
        figure{margin:0;background:#fff;border:1px solid #ddd;padding:4px}figure \
        svg{width:100%;height:auto;display:block}
        figcaption{font-size:13px;color:#333}#notes{font-size:12px;color:#555}
        """
}
