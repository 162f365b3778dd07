// Test-only oracle: reads git-config files with the real JGit, the way Gerrit's replication
// plugin does, and prints what JGit made of them as one JSON line per request. Run with
// Java's single-file source launch: java -cp <jgit and its dependencies> JGitProbe.java
//
// One request per input line, fields separated by tabs:
//   MODE  PATH  READ...
// MODE "file": FileBasedConfig.load() (replication.config, secure.config: includes followed);
// MODE "text": Config.fromText on the file's text (fan-out files: includes never followed).
// READ is TYPE|SECTION|SUBSECTION|NAME|DEFAULT with TYPE int, long, bool, string or list;
// SUBSECTION "-" is none, "*" is every remote the plugin keeps (one with a url and no fetch).
// The answer: {"ok":false,"error":…,"causes":[…]} when loading fails, else
// {"ok":true,"remotes":[…],"kept":[…],"reads":[…],"dump":[…]} (see main).
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

public class JGitProbe {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    out.println("{\"ready\":true,\"jgit\":" + str(jgitVersion()) + "}");
    out.flush();
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isEmpty()) continue;
      String answer;
      try {
        answer = handle(line.split("\t", -1));
      } catch (Throwable t) {
        answer = "{\"ok\":false,\"probeError\":" + str(t.toString()) + "}";
      }
      out.println(answer);
      out.flush();
    }
  }

  static String jgitVersion() {
    Package p = Config.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  static String handle(String[] f) throws Exception {
    String mode = f[0];
    File file = new File(f[1]);
    Config config;
    try {
      if (mode.equals("file")) {
        FileBasedConfig fc = new FileBasedConfig(file, FS.DETECTED);
        fc.load();
        config = fc;
      } else {
        config = new Config();
        config.fromText(Files.readString(file.toPath(), StandardCharsets.UTF_8));
      }
    } catch (Exception e) {
      return failure(e);
    }
    StringBuilder b = new StringBuilder("{\"ok\":true");
    // What RemoteConfig (and so the plugin) sees: every [remote "x"], insteadOf applied.
    List<String> kept = new ArrayList<>();
    b.append(",\"remotes\":");
    try {
      List<RemoteConfig> all = RemoteConfig.getAllRemoteConfigs(config);
      b.append('[');
      for (int i = 0; i < all.size(); i++) {
        RemoteConfig rc = all.get(i);
        if (i > 0) b.append(',');
        b.append("{\"name\":").append(str(rc.getName()));
        b.append(",\"uris\":").append(uris(rc.getURIs()));
        b.append(",\"pushURIs\":").append(uris(rc.getPushURIs()));
        b.append(",\"push\":").append(specs(rc.getPushRefSpecs()));
        b.append(",\"fetch\":").append(specs(rc.getFetchRefSpecs()));
        b.append(",\"mirror\":").append(rc.isMirror());
        b.append(",\"timeout\":").append(rc.getTimeout());
        b.append('}');
        // The plugin's DestinationConfigParser: no url → skipped; a fetch refspec → ignored.
        if (!rc.getURIs().isEmpty() && rc.getFetchRefSpecs().isEmpty()) kept.add(rc.getName());
      }
      b.append(']');
    } catch (Exception e) {
      b.append("null,\"remotesError\":").append(chain(e));
    }
    b.append(",\"kept\":").append(strs(kept));
    b.append(",\"reads\":[");
    boolean first = true;
    for (int i = 2; i < f.length; i++) {
      String[] r = f[i].split("\\|", -1);
      List<String> subs = new ArrayList<>();
      if (r[2].equals("*")) subs.addAll(kept);
      else subs.add(r[2].equals("-") ? null : r[2]);
      for (String sub : subs) {
        if (!first) b.append(',');
        first = false;
        b.append("{\"k\":").append(str(r[1] + "." + (sub == null ? "" : sub + ".") + r[3]));
        try {
          String v = read(config, r[0], r[1], sub, r[3], r[4]);
          b.append(",\"v\":").append(v);
        } catch (Exception e) {
          b.append(",\"err\":").append(str(e.getMessage()));
        }
        b.append('}');
      }
    }
    b.append("],\"dump\":[");
    first = true;
    for (String section : config.getSections()) {
      List<String> subs = new ArrayList<>();
      subs.add(null);
      subs.addAll(config.getSubsections(section));
      for (String sub : subs) {
        for (String name : config.getNames(section, sub)) {
          if (!first) b.append(',');
          first = false;
          b.append('[').append(str(section)).append(',').append(str(sub)).append(',').append(str(name)).append(',');
          b.append(strs(Arrays.asList(config.getStringList(section, sub, name)))).append(']');
        }
      }
    }
    b.append("]}");
    return b.toString();
  }

  static String read(Config c, String type, String section, String sub, String name, String dflt) {
    switch (type) {
      case "int":
        return String.valueOf(c.getInt(section, sub, name, Integer.parseInt(dflt)));
      case "long":
        return String.valueOf(c.getLong(section, sub, name, Long.parseLong(dflt)));
      case "bool":
        return String.valueOf(c.getBoolean(section, sub, name, Boolean.parseBoolean(dflt)));
      case "string":
        return str(c.getString(section, sub, name));
      case "list":
        return strs(Arrays.asList(c.getStringList(section, sub, name)));
      default:
        throw new IllegalStateException("unknown read type " + type);
    }
  }

  static String failure(Exception e) {
    return "{\"ok\":false,\"error\":" + str(e.getMessage()) + ",\"causes\":" + chain(e) + "}";
  }

  /** The messages of an exception and its causes, outermost first. */
  static String chain(Throwable e) {
    List<String> msgs = new ArrayList<>();
    for (Throwable t = e; t != null && msgs.size() < 40; t = t.getCause()) msgs.add(t.getClass().getSimpleName() + ": " + t.getMessage());
    return strs(msgs);
  }

  static String uris(List<URIish> list) {
    List<String> s = new ArrayList<>();
    for (URIish u : list) s.add(u.toString());
    return strs(s);
  }

  static String specs(List<RefSpec> list) {
    List<String> s = new ArrayList<>();
    for (RefSpec r : list) s.add(r.toString());
    return strs(s);
  }

  static String strs(List<String> list) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) b.append(',');
      b.append(str(list.get(i)));
    }
    return b.append(']').toString();
  }

  static String str(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
