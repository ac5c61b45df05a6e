import java.io.*;
import java.nio.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.*;

/**
 * Who holds the memory of open streams, from a heap dump (src/bench/stream-memory.sh --heap-dump runs it).
 * Builds the dominator tree (Cooper-Harvey-Kennedy) and attributes every reachable object to its nearest dominator
 * whose class is not JDK plumbing (collections, strings, buffers, arrays, locks), then prints the bytes per stream
 * by owner library, owner class, and owner <- class. Sizes assume compressed references and compact headers.
 * Objects referenced only from parked virtual threads' stacks have no referrer in a heap dump: they show as
 * "<roots/unreferenced>" (the stack chunks themselves are in the class histogram, not here).
 *
 * usage: java HeapOwners.java dump.hprof [open streams]
 */
public class HeapOwners {
  static int idSize;
  static MappedByteBuffer[] maps;
  static long fileLen;

  // objects
  static long[] ids = new long[1 << 22];
  static int[] cls = new int[1 << 22]; // index into classNames table
  static int[] size = new int[1 << 22];
  static long[] pos = new long[1 << 22]; // position of the instance/array data for edge scan
  static byte[] kind = new byte[1 << 22]; // 1 inst, 2 objarr, 3 primarr, 4 class
  static int n;
  static Map<Long, String> strings = new HashMap<>();
  static Map<Long, Long> classNameId = new HashMap<>();
  static Map<Long, long[]> classInfo = new HashMap<>(); // classId -> [super, instSize]
  static Map<Long, byte[]> classFieldTypes = new HashMap<>();
  static List<Long> roots = new ArrayList<>();
  static Map<Long, Integer> classIndex = new HashMap<>();
  static List<String> classNames = new ArrayList<>();

  static RandomAccessFile raf;
  static ByteBuffer buf;

  public static void main(String[] a) throws Exception {
    int streams = a.length > 1 ? Integer.parseInt(a[1]) : 1;
    FileChannel ch = FileChannel.open(Path.of(a[0]));
    fileLen = ch.size();
    DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(a[0]), 1 << 20));
    long p = 0;
    while (in.readByte() != 0) p++;
    p++;
    idSize = in.readInt();
    in.readLong();
    p += 12;
    // first pass: everything streamed
    List<long[]> segs = new ArrayList<>();
    while (true) {
      int tag;
      try {
        tag = in.readUnsignedByte();
      } catch (EOFException e) {
        break;
      }
      in.readInt();
      long len = Integer.toUnsignedLong(in.readInt());
      p += 9;
      if (tag == 0x01) {
        long id = readId(in);
        byte[] b = new byte[(int) len - idSize];
        in.readFully(b);
        strings.put(id, new String(b, "UTF-8"));
      } else if (tag == 0x02) {
        in.readInt();
        long cid = readId(in);
        in.readInt();
        long nid = readId(in);
        classNameId.put(cid, nid);
      } else if (tag == 0x0C || tag == 0x1C) {
        heap(in, p, len);
      } else {
        in.skipNBytes(len);
      }
      p += len;
    }
    in.close();
    System.err.println("objects " + n);
    // sort by id
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingLong(i -> ids[i]));
    long[] sids = new long[n];
    int[] scls = new int[n];
    int[] ssize = new int[n];
    long[] spos = new long[n];
    byte[] skind = new byte[n];
    for (int i = 0; i < n; i++) {
      int o = order[i];
      sids[i] = ids[o];
      scls[i] = cls[o];
      ssize[i] = size[o];
      spos[i] = pos[o];
      skind[i] = kind[o];
    }
    long[] sic = new long[n];
    int[] sac = new int[n];
    int[] sib = new int[n];
    for (int i = 0; i < n; i++) { sic[i] = instClass[order[i]]; sac[i] = arrCount[order[i]]; sib[i] = instBytes[order[i]]; }
    instBytes = sib;
    ids = sids; cls = scls; size = ssize; pos = spos; kind = skind; instClass = sic; arrCount = sac;
    // edges, second pass with random access
    raf = new RandomAccessFile(a[0], "r");
    int[] outStart = new int[n + 1];
    IntList edges = new IntList();
    for (int i = 0; i < n; i++) {
      outStart[i] = edges.size;
      if (kind[i] == 1) {
        long classId = classIdOf(i);
        byte[] data = read(pos[i], instBytes[i], true);
        int off = 0;
        int real = 0;
        for (long c = classId; c != 0; c = classInfo.get(c)[0]) {
          byte[] types = classFieldTypes.get(c);
          for (byte t : types) {
            if (t == 2) {
              long r = idAt(data, off);
              int j = find(r);
              if (j >= 0) edges.add(j);
              off += idSize;
              real += 4;
            } else { off += tsize(t); real += tsize(t); }
          }
        }
        size[i] = align(8 + real);
      } else if (kind[i] == 2) {
        int cnt = arrCount[i];
        byte[] data = read(pos[i], cnt * idSize, false);
        for (int k = 0; k < cnt; k++) {
          int j = find(idAt(data, k * idSize));
          if (j >= 0) edges.add(j);
        }
      }
    }
    outStart[n] = edges.size;
    System.err.println("edges " + edges.size);
    // roots: gc roots + all objects without referrers
    int[] indeg = new int[n];
    for (int e = 0; e < edges.size; e++) indeg[edges.a[e]]++;
    // super root = n
    IntList rootList = new IntList();
    boolean[] isRoot = new boolean[n];
    for (long r : roots) {
      int j = find(r);
      if (j >= 0 && !isRoot[j]) { isRoot[j] = true; rootList.add(j); }
    }
    for (int i = 0; i < n; i++) if (indeg[i] == 0 && !isRoot[i]) { isRoot[i] = true; rootList.add(i); }
    // DFS postorder from super root
    int N = n + 1;
    int[] po = new int[N]; // postorder number
    Arrays.fill(po, -1);
    int[] rpo = new int[N];
    int cnt = 0;
    int[] stack = new int[N];
    int[] it = new int[N];
    boolean[] seen = new boolean[N];
    int sp = 0;
    stack[sp++] = n; seen[n] = true;
    while (sp > 0) {
      int v = stack[sp - 1];
      boolean pushed = false;
      if (v == n) {
        while (it[v] < rootList.size) {
          int w = rootList.a[it[v]++];
          if (!seen[w]) { seen[w] = true; stack[sp++] = w; pushed = true; break; }
        }
      } else {
        while (it[v] < outStart[v + 1] - outStart[v]) {
          int w = edges.a[outStart[v] + it[v]++];
          if (!seen[w]) { seen[w] = true; stack[sp++] = w; pushed = true; break; }
        }
      }
      if (!pushed) { sp--; po[v] = cnt; rpo[cnt] = v; cnt++; }
    }
    System.err.println("reachable " + cnt);
    // predecessors
    int[] predStart = new int[N + 1];
    for (int v = 0; v < n; v++) for (int e = outStart[v]; e < outStart[v + 1]; e++) predStart[edges.a[e] + 1]++;
    for (int i = 0; i < rootList.size; i++) predStart[rootList.a[i] + 1]++;
    for (int i = 0; i < N; i++) predStart[i + 1] += predStart[i];
    int[] preds = new int[predStart[N]];
    int[] fill = Arrays.copyOf(predStart, N);
    for (int v = 0; v < n; v++) for (int e = outStart[v]; e < outStart[v + 1]; e++) preds[fill[edges.a[e]]++] = v;
    for (int i = 0; i < rootList.size; i++) preds[fill[rootList.a[i]]++] = n;
    int[] idom = new int[N];
    Arrays.fill(idom, -1);
    idom[n] = n;
    boolean changed = true;
    int iter = 0;
    while (changed) {
      changed = false;
      iter++;
      for (int k = cnt - 2; k >= 0; k--) {
        int b = rpo[k];
        int newIdom = -1;
        for (int e = predStart[b]; e < predStart[b + 1]; e++) {
          int p2 = preds[e];
          if (po[p2] < 0 || idom[p2] < 0) continue;
          if (newIdom < 0) newIdom = p2;
          else {
            int f1 = p2, f2 = newIdom;
            while (f1 != f2) {
              while (po[f1] < po[f2]) f1 = idom[f1];
              while (po[f2] < po[f1]) f2 = idom[f2];
            }
            newIdom = f1;
          }
        }
        if (idom[b] != newIdom) { idom[b] = newIdom; changed = true; }
      }
    }
    System.err.println("dominators after " + iter + " iterations");
    // owner: nearest dominator (incl. self) with an interesting class
    Map<String, long[]> byOwner = new HashMap<>();
    Map<String, long[]> byLib = new HashMap<>();
    Map<String, long[]> byOwnerAndClass = new HashMap<>();
    int[] owner = new int[N];
    Arrays.fill(owner, -2);
    long total = 0;
    for (int k = cnt - 1; k >= 0; k--) { // reverse postorder: dominators first
      int v = rpo[k];
      if (v == n) { owner[v] = -1; continue; }
      String c = classNames.get(cls[v]);
      if (interesting(c)) owner[v] = v;
      else owner[v] = owner[idom[v]];
      String oc = owner[v] < 0 ? "<root:" + c + ">" : classNames.get(cls[owner[v]]);
      byOwner.computeIfAbsent(oc, x -> new long[2])[0] += size[v];
      byOwner.get(oc)[1]++;
      byLib.computeIfAbsent(lib(oc), x -> new long[1])[0] += size[v];
      byOwnerAndClass.computeIfAbsent(oc + "  <-  " + c, x -> new long[2])[0] += size[v];
      total += size[v];
      if (owner[v] < 0 && c.equals("byte[]")) rootBytes.computeIfAbsent(size[v], x -> new long[1])[0]++;
    }
    System.out.println("byte arrays referenced only from thread stacks (a parked stream's frames), by size: size x count");
    rootBytes.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0] * y.getKey(), x.getValue()[0] * x.getKey())).limit(15)
        .forEach(e -> System.out.printf("  %6d x %d%n", e.getKey(), e.getValue()[0]));
    System.out.printf("total shallow (reachable) %.1f MB; per stream %.2f KB%n", total / 1e6, total / 1024.0 / streams);
    System.out.println("\n== by library of owner (KB per stream) ==");
    byLib.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(20)
        .forEach(e -> System.out.printf("%10.2f  %s%n", e.getValue()[0] / 1024.0 / streams, e.getKey()));
    System.out.println("\n== by owner class (KB per stream, objects per stream) ==");
    byOwner.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(60)
        .forEach(e -> System.out.printf("%10.2f %8.1f  %s%n", e.getValue()[0] / 1024.0 / streams, e.getValue()[1] / (double) streams, e.getKey()));
    System.out.println("\n== by owner <- class (KB per stream) ==");
    byOwnerAndClass.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(80)
        .forEach(e -> System.out.printf("%10.2f  %s%n", e.getValue()[0] / 1024.0 / streams, e.getKey()));
  }

  static String lib(String c) {
    if (c.startsWith("<root")) return "<roots/unreferenced>";
    String[] libs = {"org.eclipse.jetty.", "jdk.internal.net.http.", "org.llmgateway.", "org.apache.logging.", "com.fasterxml.", "jdk.internal.vm.", "java.lang.VirtualThread", "sun.nio.", "java.lang.Thread", "redis.", "org.yaml."};
    for (String l : libs) if (c.startsWith(l)) return l;
    int d = c.lastIndexOf('.');
    return d > 0 ? c.substring(0, d) : c;
  }

  static boolean interesting(String c) {
    if (c.startsWith("[") || c.endsWith("[]")) return false;
    if (c.startsWith("java.util.") || c.startsWith("java.lang.ref.") || c.equals("java.lang.String") || c.equals("java.lang.Object")) return false;
    if (c.startsWith("java.nio.") && !c.contains("channels")) return false;
    if (c.startsWith("java.lang.invoke.") || c.startsWith("java.lang.Integer") || c.startsWith("java.lang.Long") || c.startsWith("java.lang.ThreadLocal")) return false;
    if (c.startsWith("jdk.internal.net.http.common.MinimalFuture") || c.startsWith("jdk.internal.misc.")) return false;
    return true;
  }

  static long classIdOf(int i) { return instClass[i]; }
  static Map<Integer, Long> objClass = new HashMap<>();
  static Map<Integer, Integer> pos2count = new HashMap<>();
  static long[] instClass = new long[1 << 22];
  static int[] arrCount = new int[1 << 22];

  static Map<Integer, long[]> rootBytes = new TreeMap<>();
  static int[] instBytes = new int[1 << 22];
  static void instBytesTmp(int i, int nb) { if (i >= instBytes.length) instBytes = Arrays.copyOf(instBytes, instBytes.length * 2); instBytes[i] = nb; }

  static int find(long id) {
    if (id == 0) return -1;
    int i = Arrays.binarySearch(ids, 0, n, id);
    return i >= 0 ? i : -1;
  }

  static byte[] read(long p, int len, boolean x) throws IOException {
    byte[] b = new byte[len];
    raf.seek(p);
    raf.readFully(b);
    return b;
  }

  static long idAt(byte[] d, int off) {
    if (idSize == 8) return ByteBuffer.wrap(d, off, 8).getLong();
    return Integer.toUnsignedLong(ByteBuffer.wrap(d, off, 4).getInt());
  }

  static long readId(DataInputStream in) throws IOException {
    return idSize == 8 ? in.readLong() : Integer.toUnsignedLong(in.readInt());
  }

  static int tsize(int t) {
    switch (t) {
      case 2: return idSize;
      case 4: case 8: return 1;
      case 5: case 9: return 2;
      case 6: case 10: return 4;
      case 7: case 11: return 8;
    }
    throw new IllegalStateException("type " + t);
  }

  static int align(long s) { return (int) ((s + 7) & ~7L); }

  static int classIdx(String name) {
    return classIndex.computeIfAbsent((long) name.hashCode() * 31 + name.length(), k -> { classNames.add(name); return classNames.size() - 1; });
  }

  static Map<String, Integer> nameIdx = new HashMap<>();
  static int idx(String name) {
    return nameIdx.computeIfAbsent(name, k -> { classNames.add(k); return classNames.size() - 1; });
  }

  static String className(long classId) {
    Long nid = classNameId.get(classId);
    String s = nid == null ? "?" : strings.get(nid);
    return s == null ? "?" : s.replace('/', '.');
  }

  static void add(long id, String c, int sz, long p, byte k) {
    if (n == ids.length) {
      int m = n * 2;
      ids = Arrays.copyOf(ids, m); cls = Arrays.copyOf(cls, m); size = Arrays.copyOf(size, m);
      pos = Arrays.copyOf(pos, m); kind = Arrays.copyOf(kind, m);
    }
    if (n == instClass.length) { instClass = Arrays.copyOf(instClass, n * 2); arrCount = Arrays.copyOf(arrCount, n * 2); }
    ids[n] = id; cls[n] = idx(c); size[n] = sz; pos[n] = p; kind[n] = k;
    n++;
  }

  static final String[] PRIM = {"", "", "", "", "boolean", "char", "float", "double", "byte", "short", "int", "long"};

  static void heap(DataInputStream in, long start, long len) throws IOException {
    long p = start;
    long end = start + len;
    while (p < end) {
      int sub = in.readUnsignedByte();
      p++;
      switch (sub) {
        case 0xFF: case 0x05: case 0x07: roots.add(readId(in)); p += idSize; break;
        case 0x01: roots.add(readId(in)); readId(in); p += 2 * idSize; break;
        case 0x02: case 0x03: case 0x08: roots.add(readId(in)); in.readInt(); in.readInt(); p += idSize + 8; break;
        case 0x04: case 0x06: roots.add(readId(in)); in.readInt(); p += idSize + 4; break;
        case 0x20: {
          long cid = readId(in); in.readInt(); long sup = readId(in);
          for (int i = 0; i < 5; i++) readId(in);
          int isz = in.readInt();
          p += idSize * 7 + 8;
          int cp = in.readUnsignedShort(); p += 2;
          for (int i = 0; i < cp; i++) { in.readUnsignedShort(); int t = in.readUnsignedByte(); in.skipNBytes(tsize(t)); p += 3 + tsize(t); }
          int st = in.readUnsignedShort(); p += 2;
          int staticBytes = 0;
          List<Long> staticRefs = new ArrayList<>();
          for (int i = 0; i < st; i++) {
            readId(in); int t = in.readUnsignedByte();
            if (t == 2) { long r = readId(in); staticRefs.add(r); } else in.skipNBytes(tsize(t));
            p += idSize + 1 + tsize(t); staticBytes += tsize(t);
          }
          int fc = in.readUnsignedShort(); p += 2;
          byte[] types = new byte[fc];
          for (int i = 0; i < fc; i++) { readId(in); types[i] = (byte) in.readUnsignedByte(); p += idSize + 1; }
          classInfo.put(cid, new long[] {sup, isz});
          classFieldTypes.put(cid, types);
          // statics are roots (class objects are roots via sticky class anyway)
          roots.addAll(staticRefs);
          break;
        }
        case 0x21: {
          long id = readId(in); in.readInt(); long cid = readId(in); int nb = in.readInt();
          p += idSize * 2 + 8;
          add(id, className(cid), align(8 + nb), p, (byte) 1);
          instBytesTmp(n - 1, nb);
          instClass[n - 1] = cid;
          in.skipNBytes(nb); p += nb;
          break;
        }
        case 0x22: {
          long id = readId(in); in.readInt(); int num = in.readInt(); long acid = readId(in);
          p += idSize * 2 + 8;
          add(id, className(acid), align(12 + (long) num * 4), p, (byte) 2);
          arrCount[n - 1] = num;
          in.skipNBytes((long) num * idSize); p += (long) num * idSize;
          break;
        }
        case 0x23: {
          long id = readId(in); in.readInt(); int num = in.readInt(); int t = in.readUnsignedByte();
          p += idSize + 9;
          add(id, PRIM[t] + "[]", align(12 + (long) num * tsize(t)), p, (byte) 3);
          in.skipNBytes((long) num * tsize(t)); p += (long) num * tsize(t);
          break;
        }
        default: throw new IllegalStateException("sub " + Integer.toHexString(sub) + " at " + p);
      }
    }
  }

  static final class IntList {
    int[] a = new int[1 << 20];
    int size;
    void add(int v) { if (size == a.length) a = Arrays.copyOf(a, size * 2); a[size++] = v; }
  }
}
