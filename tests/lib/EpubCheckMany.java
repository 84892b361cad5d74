// EpubCheckMany.java: EPUBCheck over several EPUBs in one Java process, run
// by tests/lib/epubcheck.sh as a source file (java -cp epubcheck.jar
// EpubCheckMany.java DIR EPUB...). One JVM's start and warm-up then serves
// every book instead of one per book. What EPUBCheck prints for the Nth EPUB
// goes to DIR/N.txt, exactly as `java -jar epubcheck.jar EPUB` prints it,
// followed by a line "exit STATUS"; an exception inside one book is written
// to its file and the next book is still checked.
import java.io.File;
import java.io.FileOutputStream;
import java.io.PrintStream;

public class EpubCheckMany {
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out, err = System.err;
    for (int i = 1; i < args.length; i++) {
      File report = new File(args[0], i + ".txt");
      try (PrintStream p = new PrintStream(new FileOutputStream(report), true, "UTF-8")) {
        System.setOut(p);
        System.setErr(p);
        int rc;
        try {
          rc = new com.adobe.epubcheck.tool.EpubChecker().run(new String[] {args[i]});
        } catch (Throwable e) {
          e.printStackTrace(p);
          rc = 99;
        }
        p.println("exit " + rc);
      } finally {
        System.setOut(out);
        System.setErr(err);
      }
    }
  }
}
